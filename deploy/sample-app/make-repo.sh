#!/usr/bin/env bash
# Turn the sample app sources into a bare git repository with one commit and
# tag per release:  base/ = v1, then releases/<name>/ overlaid in version
# order (releases/v2, releases/v3, ...), each commit "release <name>" on main.
#
# Usage: deploy/sample-app/make-repo.sh DEST.git [SOURCE_DIR]
#
# SOURCE_DIR (default: this script's directory, the sample app) holds base/ and releases/; another
# app laid out the same way (e.g. deploy/sample-app-b) uses this script too. The first release's tag
# is the first line of SOURCE_DIR/base/RELEASE ("v1" for the sample app; "v1" when there is none).
#
# Idempotent: if DEST already has the last release's tag, nothing is done.
# If DEST exists with only earlier tags (a new releases/<name>/ was added),
# the missing releases are appended on top, keeping the existing commits.
# An overlay directory may contain a file ".release-delete" listing paths
# (one per line, relative to the repository root) to remove in that release.
# Prints "<tag> <sha>" for every release at the end.
set -euo pipefail

die() { echo "make-repo: ERROR: $*" >&2; exit 1; }
[ $# -eq 1 ] || [ $# -eq 2 ] || die "usage: $0 DEST.git [SOURCE_DIR]"

if [ $# -eq 2 ]; then
  SRC=$(cd "$2" && pwd) || die "no such source directory: $2"
else
  SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fi
[ -d "$SRC/base" ] || die "$SRC has no base/ (the first release's tree)"
DEST=$1
case "$DEST" in /*) ;; *) DEST="$PWD/$DEST" ;; esac
DEST=${DEST%/}

export GIT_AUTHOR_NAME="TeaFleet Sample" GIT_AUTHOR_EMAIL="sample@teafleet.invalid"
export GIT_COMMITTER_NAME="TeaFleet Sample" GIT_COMMITTER_EMAIL="sample@teafleet.invalid"
# keep the user's/system git config from influencing the result
export GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent-teafleet-home
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_AUTHOR_DATE GIT_COMMITTER_DATE

# release names and their source dirs, the first release first
first=v1
if [ -s "$SRC/base/RELEASE" ]; then first=$(head -n 1 "$SRC/base/RELEASE" | tr -d '[:space:]'); fi
case "$first" in ''|*[!A-Za-z0-9._-]*) die "bad first release name in $SRC/base/RELEASE: '$first'" ;; esac
names=("$first")
dirs=("$SRC/base")
while IFS= read -r d; do
  [ -n "$d" ] || continue
  names+=("$(basename "$d")")
  dirs+=("$SRC/releases/$(basename "$d")")
done < <(find "$SRC/releases" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V)
last=${names[${#names[@]}-1]}

print_tags() {
  local n
  for n in "${names[@]}"; do
    echo "$n $(git --git-dir="$1" rev-parse "refs/tags/$n^{commit}")"
  done
}

existing=0
if [ -e "$DEST" ]; then
  git --git-dir="$DEST" rev-parse --is-bare-repository >/dev/null 2>&1 \
    || die "$DEST exists and is not a git repository"
  if git --git-dir="$DEST" rev-parse -q --verify "refs/tags/$last^{commit}" >/dev/null; then
    echo "make-repo: $DEST already has $last, nothing to do" >&2
    print_tags "$DEST"
    exit 0
  fi
  existing=1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/teafleet-make-repo.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
repo="$WORK/repo.git"
if [ "$existing" -eq 1 ]; then
  git clone -q --bare --no-local "$DEST" "$repo"
  git --git-dir="$repo" fetch -q "$DEST" 'refs/tags/*:refs/tags/*'
else
  git init -q --bare "$repo"
fi
git --git-dir="$repo" symbolic-ref HEAD refs/heads/main

export GIT_DIR="$repo" GIT_WORK_TREE="$WORK/tree" GIT_INDEX_FILE="$WORK/index"
mkdir -p "$GIT_WORK_TREE"

parent=""
new_tags=()
for i in "${!names[@]}"; do
  name=${names[$i]} dir=${dirs[$i]}
  # overlay (add/replace) this release's files, then apply deletions
  (cd "$dir" && tar --exclude=.release-delete --exclude=__pycache__ --exclude='*.pyc' -cf - .) |
    (cd "$GIT_WORK_TREE" && tar -xmf -)
  if [ -f "$dir/.release-delete" ]; then
    while IFS= read -r p; do
      case "$p" in ''|'#'*) continue ;; *..*|/*) die "bad path in $dir/.release-delete: $p" ;; esac
      rm -rf "${GIT_WORK_TREE:?}/$p"
    done <"$dir/.release-delete"
  fi
  # fresh index each time: overlay files may share size+mtime with the
  # files they replace, which git's stat cache would take as "unchanged"
  rm -f "$GIT_INDEX_FILE"
  git add -A .
  tree=$(git write-tree)

  if sha=$(git rev-parse -q --verify "refs/tags/$name^{commit}"); then
    if [ "$(git rev-parse "$sha^{tree}")" != "$tree" ]; then
      echo "make-repo: WARNING: existing tag $name does not match the sources in $dir" >&2
      echo "make-repo:          (delete $DEST to regenerate it)" >&2
    fi
    parent=$sha
    continue
  fi
  [ -z "$parent" ] && git rev-parse -q --verify refs/heads/main >/dev/null \
    && die "repository has a main branch but no tag $first"
  sha=$(git commit-tree "$tree" ${parent:+-p "$parent"} -m "release $name")
  git tag "$name" "$sha"
  new_tags+=("refs/tags/$name")
  parent=$sha
done
git update-ref refs/heads/main "$parent"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

if [ "$existing" -eq 1 ]; then
  # append to the existing repository; --atomic: all refs or none
  git --git-dir="$repo" push -q --atomic "$DEST" refs/heads/main:refs/heads/main "${new_tags[@]}"
else
  git --git-dir="$repo" gc -q --prune=now 2>/dev/null || true
  mkdir -p "$(dirname "$DEST")"
  # move into place; if another run won the race, keep theirs
  mv -T "$repo" "$DEST" 2>/dev/null || {
    git --git-dir="$DEST" rev-parse -q --verify "refs/tags/$last^{commit}" >/dev/null \
      || die "could not move repository into $DEST"
  }
fi

print_tags "$DEST"

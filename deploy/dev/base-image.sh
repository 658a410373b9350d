#!/usr/bin/env bash
# Build (once, cached) a Debian bookworm rootfs tarball with everything the
# TeaFleet sample app needs, and import it into a dockerd as
# teafleet/base:bookworm. No image registry is needed: the rootfs comes from
# debootstrap against the machine's own apt mirror.
#
# Usage: deploy/dev/base-image.sh [--tar-only] [DOCKER_HOST_URI]
#
#   --tar-only        only make sure the cached tarball exists
#   DOCKER_HOST_URI   e.g. unix:///var/run/x/docker.sock; import the image
#                     there if it is missing or was built from another
#                     package list
#
# Environment:
#   TEAFLEET_CACHE    cache dir (default /var/cache/teafleet)
#   TEAFLEET_MIRROR   override the mirror (default: read from apt sources)
#   DOCKER            docker client binary (default: docker)
set -euo pipefail

SUITE=bookworm
VARIANT=minbase
# Bump when the cleanup recipe below changes, to force a rebuild.
RECIPE=2
IMAGE=teafleet/base:bookworm
STAMP_LABEL=org.teafleet.base.stamp
PACKAGES=(
  ca-certificates
  procps
  python3
  python3-fastapi
  python3-uvicorn
  python3-sqlalchemy
  python3-psycopg2
  python3-alembic
  python3-redis
  postgresql-15
  postgresql-client-15
  redis-server
  redis-tools
  nginx-light
)

CACHE=${TEAFLEET_CACHE:-/var/cache/teafleet}
TAR="$CACHE/base-$SUITE.tar"
STAMP="$CACHE/base-$SUITE.stamp"
DOCKER=${DOCKER:-docker}

log() { printf 'base-image: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; }

TAR_ONLY=0
URI=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tar-only) TAR_ONLY=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage; die "unknown option: $1" ;;
    *) [ -z "$URI" ] || die "only one DOCKER_HOST_URI allowed"; URI=$1 ;;
  esac
  shift
done

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap)"

# Hash of everything that determines the rootfs content.
WANT_STAMP=$(printf '%s\n' "recipe=$RECIPE" "$SUITE" "$VARIANT" "${PACKAGES[@]}" | LC_ALL=C sort | sha256sum | cut -c1-16)

# --- mirror discovery: find_mirror SUITE (shared with install-deps.sh) ----------
# shellcheck source=../apt-mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/../apt-mirror.sh"

# Kill anything that a package postinst may have left running inside the
# chroot (processes whose root is our rootfs). Only ever touches processes
# chrooted into our own temp dir.
kill_chroot_procs() {
  local root=$1 p r
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    case "$r" in
      "$root"|"$root"/*) log "killing leftover chroot process ${p#/proc/}"; kill -9 "${p#/proc/}" 2>/dev/null || true ;;
    esac
  done
}

unmount_under() {
  local root=$1 mp
  # deepest first
  awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r mp; do umount -l "$mp" 2>/dev/null || true; done
}

DEBOOTSTRAP_PID=""
BUILD_DIR=""
abort_build() {
  if [ -n "$DEBOOTSTRAP_PID" ]; then
    log "stopping debootstrap (pid $DEBOOTSTRAP_PID)"
    kill -TERM -- "-$DEBOOTSTRAP_PID" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$DEBOOTSTRAP_PID" 2>/dev/null || true
    wait "$DEBOOTSTRAP_PID" 2>/dev/null || true
  fi
  if [ -n "$BUILD_DIR" ] && [ -d "$BUILD_DIR" ]; then
    kill_chroot_procs "$BUILD_DIR/rootfs"
    unmount_under "$BUILD_DIR/rootfs"
    rm -rf --one-file-system "$BUILD_DIR" || true
  fi
}

build_tar() {
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2
  fi
  local mirror
  mirror=$(find_mirror "$SUITE") || die "no apt source for suite '$SUITE' found in /etc/apt (set TEAFLEET_MIRROR)"
  log "building rootfs from $mirror (suite $SUITE, variant $VARIANT); this takes ~1.5-3 min"

  # leftovers of an interrupted earlier build (we hold the lock)
  local old
  for old in "$CACHE"/.build.*; do
    [ -d "$old" ] || continue
    log "removing stale $old"
    kill_chroot_procs "$old/rootfs"; unmount_under "$old/rootfs"
    rm -rf --one-file-system "$old" || true
  done

  BUILD_DIR=$(mktemp -d "$CACHE/.build.XXXXXX")
  local rootfs="$BUILD_DIR/rootfs"
  trap 'abort_build' EXIT
  trap 'exit 130' INT TERM

  local t0=$SECONDS
  local pkgs
  pkgs=$(IFS=,; echo "${PACKAGES[*]}")
  # own process group, so an interrupt can stop debootstrap and its children
  setsid debootstrap --variant="$VARIANT" --include="$pkgs" "$SUITE" "$rootfs" "$mirror" \
        >"$BUILD_DIR/debootstrap.log" 2>&1 </dev/null &
  DEBOOTSTRAP_PID=$!
  if ! wait "$DEBOOTSTRAP_PID"; then
    DEBOOTSTRAP_PID=""
    tail -n 30 "$BUILD_DIR/debootstrap.log" >&2 || true
    [ -f "$rootfs/debootstrap/debootstrap.log" ] && tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2
    die "debootstrap failed"
  fi
  DEBOOTSTRAP_PID=""
  log "debootstrap done in $((SECONDS - t0))s"
  kill_chroot_procs "$rootfs"
  unmount_under "$rootfs"

  log "cleaning rootfs"
  # the distro's default cluster; the db image creates its own on a volume
  rm -rf "$rootfs/etc/postgresql/15/main" "$rootfs/var/lib/postgresql/15/main"
  # PostgreSQL's optional LLVM JIT drags in ~160 MB (libLLVM, libz3, bitcode).
  # Without llvmjit.so the server simply runs without JIT (the db image also
  # sets jit=off), so drop it to keep the image small.
  rm -rf "$rootfs"/usr/lib/postgresql/15/lib/llvmjit.so \
         "$rootfs"/usr/lib/postgresql/15/lib/llvmjit_types.bc \
         "$rootfs"/usr/lib/postgresql/15/lib/bitcode \
         "$rootfs"/usr/lib/*-linux-gnu/libLLVM-*.so* \
         "$rootfs"/usr/lib/*-linux-gnu/libz3.so*
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb \
         "$rootfs"/var/cache/apt/*.bin \
         "$rootfs"/var/lib/apt/lists/* \
         "$rootfs"/usr/share/doc/* \
         "$rootfs"/usr/share/man/* \
         "$rootfs"/usr/share/info/* \
         "$rootfs"/usr/share/lintian \
         "$rootfs"/var/cache/debconf/*-old \
         "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* \
         "$rootfs"/debootstrap
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
  # host-specific files debootstrap copied in; docker provides its own
  : >"$rootfs/etc/resolv.conf"
  echo localhost >"$rootfs/etc/hostname"
  # keep future apt runs inside containers from pulling docs again
  mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-exclude /usr/share/man/*' \
    'path-exclude /usr/share/info/*' >"$rootfs/etc/dpkg/dpkg.cfg.d/01-teafleet-nodoc"

  log "creating tarball"
  tar --numeric-owner -C "$rootfs" -cf "$BUILD_DIR/base.tar" .
  echo "$WANT_STAMP" >"$BUILD_DIR/stamp"
  # atomic replace: tar first, then the stamp that vouches for it
  mv -f "$BUILD_DIR/base.tar" "$TAR"
  mv -f "$BUILD_DIR/stamp" "$STAMP"
  log "cached $TAR ($(du -h "$TAR" | cut -f1)) in $((SECONDS - t0))s"

  rm -rf --one-file-system "$BUILD_DIR"
  trap - EXIT INT TERM
}

mkdir -p "$CACHE"
# Serialise concurrent runs (e.g. several sandbox hosts provisioned at once).
exec 9>"$CACHE/.base-$SUITE.lock"
flock 9

if [ -f "$TAR" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT_STAMP" ]; then
  log "cached tarball up to date ($TAR, stamp $WANT_STAMP)"
else
  build_tar
fi
flock -u 9

[ "$TAR_ONLY" -eq 1 ] && exit 0
[ -n "$URI" ] || exit 0

have=$("$DOCKER" -H "$URI" image inspect --format "{{ index .Config.Labels \"$STAMP_LABEL\" }}" "$IMAGE" 2>/dev/null || true)
if [ "$have" = "$WANT_STAMP" ]; then
  log "$IMAGE already present on $URI"
  exit 0
fi
log "importing $IMAGE into $URI"
"$DOCKER" -H "$URI" import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV LC_ALL=C.UTF-8' \
  --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV PYTHONUNBUFFERED=1' \
  --change 'ENV PYTHONDONTWRITEBYTECODE=1' \
  --change "LABEL $STAMP_LABEL=$WANT_STAMP" \
  --change 'CMD ["/bin/bash"]' \
  -m "teafleet base from debootstrap $SUITE ($WANT_STAMP)" \
  "$TAR" "$IMAGE" >/dev/null
log "imported $IMAGE"

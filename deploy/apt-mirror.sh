# shellcheck shell=bash
# The machine's own Debian mirror, read from its apt sources: debootstrap's (deploy/dev/base-image.sh)
# and the one Debian 13 package install-deps.sh takes (compose v2). Sourcing it changes nothing.

# find_mirror SUITE: the first URI whose stanza/line is a "deb" source for exactly SUITE
# (TEAFLEET_MIRROR overrides it); 1 when there is none.
find_mirror() {
  local suite=$1 f m
  if [ -n "${TEAFLEET_MIRROR:-}" ]; then echo "$TEAFLEET_MIRROR"; return 0; fi
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    m=$(awk -v suite="$suite" '
      function flush() {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && (" " suites " ") ~ ("[ \t]" suite "[ \t]") && enabled != "no" && uris != "") {
          split(uris, u, /[ \t]+/); print u[1]; found = 1; exit
        }
        types = ""; suites = ""; uris = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        line = $0; key = tolower(line); sub(/:.*/, "", key)
        val = line; sub(/^[^:]*:[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "enabled") enabled = tolower(val)
      }
      END { if (!found) flush() }
    ' "$f")
    if [ -n "$m" ]; then echo "$m"; return 0; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    m=$(awk -v suite="$suite" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f")
    if [ -n "$m" ]; then echo "$m"; return 0; fi
  done
  return 1
}

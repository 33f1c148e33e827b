#!/usr/bin/env bash
# images/bootstrap-base.sh SUITE TAG
#
# Builds a minimal Debian base image with no container registry: debootstrap a minbase
# rootfs of SUITE from this machine's own apt mirror, trim it, and `docker import` it as TAG.
# Does nothing if TAG already exists. Needs root, debootstrap and a Docker Engine.
#
# The interpreters the images need are installed here (`--include`), so the Dockerfiles
# built on top need no network:
#   bookworm: python3 (3.11) and pypy3      trixie: python3 (3.13)
# Environment:
#   BOOTSTRAP_INCLUDE  comma-separated packages, instead of the per-suite default above
#   DEBIAN_MIRROR      mirror URI, instead of the one read from /etc/apt/sources*
set -euo pipefail

die() {
  echo "bootstrap-base: $*" >&2
  exit 1
}

[ $# -eq 2 ] || die "usage: $0 SUITE TAG"
suite=$1
tag=$2

command -v docker >/dev/null || die "docker (the CLI) is not installed"
docker info >/dev/null 2>&1 || die "no Docker Engine answers (start dockerd, or run 'make images')"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "bootstrap-base: $tag exists"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "debootstrap needs root to build $tag"
command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"

case "$suite" in
  bookworm) default_include=python3,pypy3 ;;
  *) default_include=python3 ;;
esac
include=${BOOTSTRAP_INCLUDE:-$default_include}

# The main Debian archive among this machine's apt sources: the first enabled `deb` entry
# whose suites include the host's codename or SUITE (security and updates suites, and
# third-party repositories, do not match).
host_codename=$(sed -n 's/^VERSION_CODENAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)

mirror_from_deb822() {
  # deb822 stanzas are separated by blank lines; continuation lines start with a blank.
  awk -v want1="$host_codename" -v want2="$suite" '
    function flush() {
      if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no" && uri != "") {
        n = split(suites, s, /[ \t]+/)
        for (i = 1; i <= n; i++)
          if (s[i] != "" && (s[i] == want1 || s[i] == want2)) { print uri; found = 1; exit }
      }
      types = ""; uri = ""; suites = ""; enabled = ""; field = ""
    }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { flush(); next }
    /^[ \t]/ { if (field == "suites") suites = suites " " $0; next }
    {
      field = tolower($0); sub(/:.*/, "", field)
      value = $0; sub(/^[^:]*:[ \t]*/, "", value)
      if (field == "types") types = value
      else if (field == "uris") { split(value, u, /[ \t]+/); uri = u[1] }
      else if (field == "suites") suites = value
      else if (field == "enabled") enabled = value
    }
    END { if (!found) flush() }
  ' "$@"
}

mirror_from_list() {
  # deb [options] URI SUITE COMPONENT...
  awk -v want1="$host_codename" -v want2="$suite" '
    $1 != "deb" { next }
    {
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($(i + 1) == want1 || $(i + 1) == want2) { print $i; exit }
    }
  ' "$@"
}

find_mirror() {
  local files
  shopt -s nullglob
  files=(/etc/apt/sources.list.d/*.sources)
  if [ ${#files[@]} -gt 0 ]; then
    for f in "${files[@]}"; do
      mirror_from_deb822 "$f"
    done
  fi
  files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
  for f in "${files[@]}"; do
    [ -r "$f" ] && mirror_from_list "$f"
  done
  return 0
}

mirror=${DEBIAN_MIRROR:-$(find_mirror | awk "NR == 1")}
[ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources* (set DEBIAN_MIRROR)"

rootfs=$(mktemp -d "${TMPDIR:-/var/tmp}/scriptforge-rootfs.XXXXXX")
cleanup() {
  # debootstrap mounts /proc and /sys inside the target and may leave them on failure:
  # unmount anything below the rootfs before deleting it.
  local m
  for m in $(findmnt -rn -o TARGET | grep -F "$rootfs/" | sort -r); do
    umount -l "$m" || true
  done
  rm -rf --one-file-system "$rootfs"
}
trap cleanup EXIT

echo "bootstrap-base: debootstrap --variant=minbase --include=$include $suite ($mirror)"
start=$(date +%s)
if ! debootstrap --variant=minbase --include="$include" "$suite" "$rootfs" "$mirror" \
  >"$rootfs.log" 2>&1; then
  tail -n 30 "$rootfs.log" >&2
  [ -f "$rootfs/debootstrap/debootstrap.log" ] && tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2
  rm -f "$rootfs.log"
  die "debootstrap of $suite failed"
fi
rm -f "$rootfs.log"

# Trim what a runtime image does not need: downloaded packages, apt lists, docs (the
# copyright files stay), manual pages and translations.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
  "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
  "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/*
find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete

tar --numeric-owner -C "$rootfs" -c . |
  docker import \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    --message "debootstrap --variant=minbase --include=$include $suite" \
    - "$tag" >/dev/null
echo "bootstrap-base: $tag built in $(($(date +%s) - start)) s"

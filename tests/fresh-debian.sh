#!/bin/sh
# tests/fresh-debian.sh — run a command in a fresh Debian 12 minbase root, the way a
# newcomer runs the README on a new machine. CI (.ci/run) runs the README's test command
# through it, so that nothing installed by hand on the CI machine can hide a missing step.
#
#   tests/fresh-debian.sh                 the README's test command:
#                                         packaging/install-deps.sh && tests/run-all.sh
#   tests/fresh-debian.sh -- COMMAND      any shell command line instead (run with sh -c in
#                                         the clone, e.g. 'packaging/install-deps.sh && tests/run-all.sh --quick')
#   tests/fresh-debian.sh --keep …        leave the root behind (its path is printed)
#
# What it does, as root on a Debian (or Debian-derived) machine:
#   1. A bare `debootstrap --variant=minbase bookworm` root from the Debian mirror this
#      machine's apt already uses, cached as a tarball in $FRISTAD_CI_CACHE
#      (default /var/cache/fristad-ci; delete it to start over). Nothing of the project is
#      ever in the cache.
#   2. A fresh copy of that root in a temporary directory, with a `git clone` of this
#      repository's HEAD in /root/fristad (committed work only, as CI sees it) and, if it
#      sits beside the repository, a copy of ../shared in /root/shared.
#   3. In a private mount namespace (nothing leaks to the host, nothing is left mounted):
#      /proc, /sys, /dev, a fresh /dev/shm, then `chroot` with a clean environment
#      (HOME=/root, LANG=C.UTF-8, the standard PATH, FRISTAD_FRESH_ROOT=1 so that
#      tests/run-all.sh runs its install test) and no standard input, as root.
#   Downloaded packages are kept in $FRISTAD_CI_CACHE/apt between runs (only the .deb files:
#   every run still installs them into its fresh root with apt-get).
#
# Exit status: the command's own; 1 if the root cannot be made. The temporary root is
# removed at the end unless --keep is given.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${FRISTAD_CI_CACHE:-/var/cache/fristad-ci}
suite=bookworm
keep=no
command='packaging/install-deps.sh && tests/run-all.sh'

while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=yes; shift ;;
    --) shift; [ $# -gt 0 ] && command="$*"; break ;;
    *) echo "usage: tests/fresh-debian.sh [--keep] [-- COMMAND]" >&2; exit 2 ;;
  esac
done

say () { echo "fresh-debian: $*"; }
die () { echo "fresh-debian: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (it runs debootstrap, mount and chroot)"
command -v git >/dev/null || die "needs git"
for tool in debootstrap unshare; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    command -v apt-get >/dev/null || die "needs $tool (not a Debian machine?)"
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap util-linux >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap util-linux >/dev/null; } \
      || die "cannot install debootstrap"
  fi
done
PATH=$PATH:/usr/sbin:/sbin

# The Debian mirror apt already uses here (deb822 or one-line sources), else Debian's own.
mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
  | sed -n -e 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' \
           -e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\/debian\)\/\{0,1\}[[:space:]].*/\2/p' \
  | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$cache/apt/partial"
# One run at a time on this machine: the runs share the cached root tarball and the
# package cache, whose apt lock a second run would fail on.
exec 9>"$cache/lock"
if ! flock -n 9; then
  say "waiting for another run on this machine to finish"
  flock 9
fi
tarball="$cache/$suite-minbase-$(dpkg --print-architecture 2>/dev/null || uname -m).tar"
if [ ! -s "$tarball" ]; then
  say "debootstrap --variant=minbase $suite from $mirror (cached in $tarball)"
  bare=$(mktemp -d /var/tmp/fristad-bare.XXXXXX)
  if ! debootstrap --variant=minbase "$suite" "$bare" "$mirror" >"$bare.log" 2>&1; then
    tail -n 20 "$bare.log" >&2
    rm -rf "$bare" "$bare.log"
    die "debootstrap failed"
  fi
  tar -C "$bare" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$bare" "$bare.log"
fi

work=$(mktemp -d /var/tmp/fristad-fresh.XXXXXX)
root="$work/root"
cleanup () {
  if [ "$keep" = yes ]; then
    say "kept the root: $root"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir "$root"
tar -C "$root" -xf "$tarball"
# / as on any Debian machine: the tarball's own top directory is debootstrap's mktemp -d
# (0700), and no user but root could then run anything in the root.
chmod 0755 "$root"
git clone --quiet --no-hardlinks "$top" "$root/root/fristad"
if [ -d "$top/../shared" ]; then
  cp -a "$top/../shared" "$root/root/shared"
fi
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# No service starts inside the root (dbus, …): there is no init in a chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

say "running in a fresh $suite root: $command"
start=$(date +%s)
status=0
unshare --mount --propagation private -- sh -eu -c '
  root=$1; cache=$2; command=$3
  mount -t proc proc "$root/proc"
  mount -t sysfs -o ro sysfs "$root/sys"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
  mount --bind "$cache/apt" "$root/var/cache/apt/archives"
  exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb FRISTAD_FRESH_ROOT=1 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/sh -c "cd /root/fristad && $command" </dev/null
' fresh-debian "$root" "$cache" "$command" 9>&- || status=$?
say "exit status $status after $(( $(date +%s) - start )) s"
exit "$status"

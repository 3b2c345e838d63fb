#!/bin/sh
# Installs every build, test and run-time dependency of Fristad from Debian 12 packages.
# This is the one place the dependency list lives. Idempotent and non-interactive.
#
#   install-deps.sh           everything to build, test and run Fristad
#   install-deps.sh --bench   that, plus the benchmark-only peers: Debian's Chromium, which
#                             tests/bench/bench-kiosk compares the kiosk with (its screen
#                             grabs use libX11/libXext, already here through libgtk-4-dev)
set -eu

PACKAGES="
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-tools
  libsqlite3-dev sqlite3 libsodium-dev libsoup-3.0-dev libjson-glib-dev
  glib-networking ca-certificates openssl
  xvfb xauth dbus imagemagick libxml2-utils
  at-spi2-core libatspi2.0-dev
  fonts-noto-core fonts-noto-cjk fonts-thai-tlwg
  espeak-ng desktop-file-utils appstream lintian
  clang libclang-rt-14-dev llvm
  gnupg time poppler-utils
  systemd debhelper dpkg-dev fakeroot
  cage grim xdotool x11-xkb-utils
"

BENCH_PACKAGES="
  chromium
"

case "${1-}" in
  "") ;;
  --bench) PACKAGES="$PACKAGES $BENCH_PACKAGES" ;;
  *)
    echo "usage: install-deps.sh [--bench]" >&2
    exit 2
    ;;
esac

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: all dependencies are installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing:$missing"
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing

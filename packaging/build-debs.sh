#!/bin/sh
# packaging/build-debs.sh OUTDIR — builds the Debian packages fristad-kiosk, fristad-queue,
# fristad-staff and fristad-inbox from packaging/debian/ (debhelper, meson) and runs lintian on them.
#
# The source is a copy of the files git tracks, as they are in the working tree (no build
# directories, nothing untracked), with packaging/debian as its debian/. Needs the build
# dependencies (packaging/install-deps.sh installs them). Builds with `-j2` unless
# DEB_BUILD_OPTIONS says otherwise. Writes OUTDIR/*.deb and OUTDIR/lintian.txt; exit 1 if
# the build fails or lintian reports an error.
#
#   --clips-dir DIR   package the spoken clips of a build tree of this same source
#                     (BUILD/i18n/clips) instead of speaking them again (tests/install/ does,
#                     after tests/run-all.sh made them in build/)
set -eu

clips=
if [ "${1-}" = "--clips-dir" ] && [ $# -ge 2 ]; then
  clips=$(cd "$2" && pwd)
  [ -f "$clips/clips.stamp" ] || { echo "build-debs: $2 holds no spoken clips (no clips.stamp)" >&2; exit 2; }
  shift 2
fi
[ $# -eq 1 ] || { echo "usage: packaging/build-debs.sh [--clips-dir BUILD/i18n/clips] OUTDIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)

version=$(dpkg-parsechangelog -l "$top/packaging/debian/changelog" -S Version)
work=$(mktemp -d /var/tmp/fristad-debs.XXXXXX)
trap 'rm -rf "$work"' EXIT
src="$work/fristad-$version"
mkdir "$src"

if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$top" && git ls-files -z --cached --others --exclude-standard | xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh \
    | tar --null -T - -cf -) | tar -C "$src" -xf -
else
  tar -C "$top" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$src" -xf -
fi
cp -a "$top/packaging/debian" "$src/debian"

echo "build-debs: building fristad $version in $work"
(cd "$src" && FRISTAD_CLIPS_DIR="$clips" DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-nocheck noddebs parallel=2}" \
  dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
  tail -n 40 "$work/build.log" >&2
  echo "build-debs: dpkg-buildpackage failed (log above)" >&2
  exit 1
}

for deb in "$work"/*.deb; do
  cp "$deb" "$out/"
done
cp "$work"/*.buildinfo "$work"/*.changes "$out/" 2>/dev/null || true
ls "$out"/*.deb

# lintian: the packages and the build (.changes); the summary in OUTDIR/lintian.txt.
status=0
lintian --info --display-info --tag-display-limit 0 "$work"/*.changes >"$out/lintian.txt" 2>&1 || status=$?
errors=$(grep -c '^E: ' "$out/lintian.txt" || true)
warnings=$(grep -c '^W: ' "$out/lintian.txt" || true)
echo "build-debs: lintian: $errors errors, $warnings warnings (OUTDIR/lintian.txt)"
grep -E '^(E|W): ' "$out/lintian.txt" || true
if [ "$errors" -gt 0 ] || [ "$status" -gt 1 ]; then
  echo "build-debs: lintian errors" >&2
  exit 1
fi

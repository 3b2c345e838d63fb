#!/bin/sh
# tests/run-all.sh — build Fristad and run every test suite, the way CI does.
#
#   tests/run-all.sh            all of it: gcc build (warnings are errors) with every suite,
#                               the same suites under AddressSanitizer + UBSan, and the
#                               libFuzzer targets in a clang build
#   tests/run-all.sh --quick    only the gcc build and its suites
#
# Last, the install test (tests/install/install-test.sh: build the Debian packages, install,
# use and purge them) — only where that is safe: in CI's fresh root (tests/fresh-debian.sh
# sets FRISTAD_FRESH_ROOT=1) or when FRISTAD_INSTALL_TEST=1 is set, as root, on a machine
# that may be thrown away.
#
# Build trees: build/ (gcc), build-asan/ (sanitizers), build-fuzz/ (clang + libFuzzer). The
# spoken clips are made once, in build/ (about two minutes); the other trees use them.
# Each stage prints its wall time.
set -eu
cd "$(dirname "$0")/.."

quick=no
[ "${1:-}" = "--quick" ] && quick=yes

jobs=$(nproc 2>/dev/null || echo 2)
clips="$(pwd)/build/i18n/clips"
start=$(date +%s)
stage_start=$start

stage () {
  now=$(date +%s)
  [ "$now" -gt "$start" ] && echo "   (stage: $((now - stage_start)) s, total: $((now - start)) s)"
  stage_start=$now
  echo "== $* =="
}

setup () {
  dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
  ninja -C "$dir"
}

stage "gcc build: all suites"
setup build -Dwerror=true
meson test -C build --print-errorlogs --num-processes "$jobs"

if [ "$quick" = yes ]; then
  stage "done"
  exit 0
fi

stage "AddressSanitizer + UndefinedBehaviorSanitizer: all suites"
setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
  -Dclips_dir="$clips"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:intercept_tls_get_addr=0:fast_unwind_on_malloc=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  meson test -C build-asan --print-errorlogs --num-processes "$jobs" --timeout-multiplier 4

stage "libFuzzer (clang): fuzz suite"
if [ -f build-fuzz/build.ninja ]; then
  ninja -C build-fuzz
else
  CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dui=false -Dclips_dir="$clips"
  ninja -C build-fuzz
fi
meson test -C build-fuzz --suite fuzz --print-errorlogs --num-processes "$jobs"

stage "install test: the Debian packages, installed, used and purged"
if [ "${FRISTAD_FRESH_ROOT:-}" = 1 ] || [ "${FRISTAD_INSTALL_TEST:-}" = 1 ]; then
  tests/install/install-test.sh
else
  echo "skipped: it installs and purges packages (set FRISTAD_INSTALL_TEST=1, as root, on a throwaway machine)"
fi
stage "done"

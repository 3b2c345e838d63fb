#!/bin/sh
# run-fuzzer.sh FUZZER WORK_CORPUS SEED_CORPUS SECONDS
# Runs a libFuzzer target for SECONDS; new inputs go to WORK_CORPUS, never to the seeds.
# libFuzzer's own exit status for a finding is 77, which meson reads as "skipped": every
# finding exits 1 instead.
set -eu
fuzzer=$1 work=$2 seeds=$3 seconds=$4
# clang's sanitizer runtime has no symbolizer of its own: without llvm-symbolizer every frame
# is an address, and tests/lsan.supp (which matches function names) silently matches nothing.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  for s in llvm-symbolizer /usr/lib/llvm-14/bin/llvm-symbolizer; do
    if command -v "$s" >/dev/null 2>&1; then
      ASAN_SYMBOLIZER_PATH=$(command -v "$s")
      export ASAN_SYMBOLIZER_PATH
      break
    fi
  done
fi
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  echo "run-fuzzer: llvm-symbolizer not found (install Debian's llvm package: packaging/install-deps.sh); leak suppressions need symbols" >&2
  exit 1
fi
mkdir -p "$work"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -print_final_stats=1 "$work" "$seeds"

#!/bin/sh
# run-fuzzer.sh FUZZER WORK_CORPUS SEED_CORPUS SECONDS
# Runs a libFuzzer target for SECONDS; new inputs go to WORK_CORPUS, never to the seeds.
# libFuzzer's own exit status for a finding is 77, which meson reads as "skipped": every
# finding exits 1 instead.
set -eu
fuzzer=$1 work=$2 seeds=$3 seconds=$4
mkdir -p "$work"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -print_final_stats=1 "$work" "$seeds"

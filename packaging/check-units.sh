#!/bin/sh
# packaging/check-units.sh UNIT… — `systemd-analyze security --offline=true` on each
# service unit: prints its exposure score and fails if it is above the limit (1.5, or
# $FRISTAD_EXPOSURE_LIMIT). A positive control first: the same unit with its sandboxing
# lines removed must score above the limit, so a score that cannot be read, or a check
# that passes everything, fails the test.
set -eu

limit=${FRISTAD_EXPOSURE_LIMIT:-1.5}
PATH=$PATH:/usr/bin:/bin
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "check-units: systemd-analyze not found (packaging/install-deps.sh installs systemd)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Prints the overall exposure of a unit file (a number), or nothing.
exposure () {
  systemd-analyze security --offline=true --no-pager "$1" 2>"$tmp/err" \
    | sed -n 's/^→ Overall exposure level for [^:]*: \([0-9][0-9.]*\) .*/\1/p'
}

above () { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

status=0
for unit in "$@"; do
  name=$(basename "$unit")
  score=$(exposure "$unit")
  if [ -z "$score" ]; then
    echo "check-units: $name: no exposure score: $(head -n 1 "$tmp/err")" >&2
    status=1
    continue
  fi
  # The control: only [Unit], ExecStart and Type kept.
  grep -E '^(\[|Description=|ExecStart=|Type=)' "$unit" >"$tmp/$name"
  control=$(exposure "$tmp/$name")
  if [ -z "$control" ] || ! above "$control" "$limit"; then
    echo "check-units: $name: the unsandboxed control scored '${control}', not above $limit: the check is broken" >&2
    status=1
    continue
  fi
  if above "$score" "$limit"; then
    echo "check-units: $name: exposure $score is above $limit:" >&2
    systemd-analyze security --offline=true --no-pager "$unit" | grep '^✗' >&2 || true
    status=1
  else
    echo "$name: exposure $score (limit $limit; unsandboxed $control)"
  fi
done
exit "$status"

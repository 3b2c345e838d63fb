#!/bin/sh
# run-ui-test.sh TEST [ARGS…] — runs one UI test under Xvfb and a private D-Bus session.
# Fails (rather than skipping) when xvfb-run or dbus-run-session is missing: the ui suite
# must not pass by not running.
#
# Only the test's own output reaches standard output, which meson reads as TAP: the test
# writes it to a file that is copied out when it ends, while Xvfb, the bus and the services
# it starts (at-spi2's registry prints a line on start) write to standard error. No daemon
# holds a descriptor of meson's stdout pipe, and no daemon's line can break the TAP stream.
set -eu
for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-ui-test: $tool is missing (install xvfb and dbus)" >&2
    exit 1
  fi
done
out=$(mktemp "${TMPDIR:-/tmp}/fristad-ui-test.XXXXXX")
trap 'rm -f "$out"' EXIT
status=0
xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- sh -c 'out=$1; shift; exec "$@" >"$out"' \
  run-ui-test "$out" "$@" 1>&2 || status=$?
cat "$out"
exit "$status"

#!/bin/sh
# run-ui-test.sh TEST [ARGS…] — runs one UI test on its own Xvfb and a private D-Bus session.
# Fails (rather than skipping) when Xvfb or dbus-run-session is missing: the ui suite must
# not pass by not running.
#
# Each test has its own X server: Xvfb picks a free display itself (-displayfd), so ui tests
# can run side by side without racing for a display number the way `xvfb-run -a` does.
#
# Only the test's own output reaches standard output, which meson reads as TAP: the test
# writes it to a file that is copied out when it ends, while Xvfb, the bus and the services
# it starts (at-spi2's registry prints a line on start) write to standard error. No daemon
# holds a descriptor of meson's stdout pipe, and no daemon's line can break the TAP stream.
set -eu
for tool in Xvfb dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-ui-test: $tool is missing (install xvfb and dbus)" >&2
    exit 1
  fi
done
out=$(mktemp "${TMPDIR:-/tmp}/fristad-ui-test.XXXXXX")
display_file=$(mktemp "${TMPDIR:-/tmp}/fristad-ui-display.XXXXXX")
xvfb_pid=
cleanup () {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -f "$out" "$display_file"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$display_file" </dev/null 1>&2 &
xvfb_pid=$!
# Xvfb writes its display number and a newline once it accepts connections.
tries=0
until grep -q '^[0-9][0-9]*$' "$display_file" 2>/dev/null; do
  if ! kill -0 "$xvfb_pid" 2>/dev/null; then
    echo "run-ui-test: Xvfb did not start" >&2
    exit 1
  fi
  tries=$((tries + 1))
  if [ "$tries" -gt 600 ]; then
    echo "run-ui-test: Xvfb gave no display number within 30 s" >&2
    exit 1
  fi
  sleep 0.05
done
DISPLAY=:$(cat "$display_file")
export DISPLAY

status=0
dbus-run-session -- sh -c 'out=$1; shift; exec "$@" >"$out"' \
  run-ui-test "$out" "$@" 1>&2 || status=$?
cat "$out"
exit "$status"

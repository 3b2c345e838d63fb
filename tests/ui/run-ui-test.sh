#!/bin/sh
# run-ui-test.sh TEST [ARGS…] — runs one UI test under Xvfb and a private D-Bus session.
# Fails (rather than skipping) when xvfb-run or dbus-run-session is missing: the ui suite
# must not pass by not running.
#
# Only the test writes to standard output, which meson reads as TAP: Xvfb, the bus and the
# services it starts (at-spi2's registry among them) write to standard error, so that a
# line a daemon prints cannot break the test's TAP stream.
set -eu
for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-ui-test: $tool is missing (install xvfb and dbus)" >&2
    exit 1
  fi
done
exec 3>&1 1>&2
exec xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- sh -c 'exec "$@" >&3 3>&-' run-ui-test "$@"

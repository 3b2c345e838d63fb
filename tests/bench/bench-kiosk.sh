#!/bin/sh
# bench-kiosk.sh BENCH-KIOSK [ARGS…] — runs bench-kiosk under its own Xvfb (1280x800, 24-bit)
# and a private D-Bus session, the way the ui tests run. Both fristad-kiosk and Chromium
# are started inside, on the same X server.
#
#   tests/bench/bench-kiosk.sh build/tests/bench/bench-kiosk \
#     --kiosk build/kiosk/fristad-kiosk --page tests/bench/welcome.html
#
# Chromium comes from `packaging/install-deps.sh --bench`.
set -eu
for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench-kiosk: $tool is missing (install xvfb and dbus)" >&2
    exit 1
  fi
done
exec xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' dbus-run-session -- "$@"

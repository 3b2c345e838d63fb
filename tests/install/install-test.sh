#!/bin/sh
# tests/install/install-test.sh — the packages as a city installs them (issue 14), as root
# on a Debian 12 machine that may be thrown away (CI: the fresh root of
# tests/fresh-debian.sh; it installs and purges packages). With the installed binaries only:
#   1. packaging/build-debs.sh, lintian clean; apt-get install of the four packages
#   2. fristad-kiosk --check-config on the shipped example site, and its contacts' names
#      spoken into its content folder by the installed fristad-make-clips --site-config
#   3. submit → queue → fetch → open: the queue started by its socket (systemd-socket-activate,
#      the way fristad-queue.socket starts it; there is no init here) on 127.0.0.1
#   4. systemd-analyze security --offline=true on the installed unit: ≤ 1.5
#   5. the kiosk session under cage's headless backend (tests/install/kiosk-session-test.sh)
#   6. purge: no file, directory or user of Fristad left behind
# Prints each step and the wall time. Exit 0 pass, 1 fail.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
start=$(date +%s)
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say () { echo "install-test: $*"; }
die () { echo "install-test: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (installs and purges packages)"
if dpkg-query -W -f='${Status}' fristad-queue 2>/dev/null | grep -q 'ok installed'; then
  die "fristad packages are already installed here; this test installs and purges them"
fi

work=$(mktemp -d /var/tmp/fristad-install.XXXXXX)
queue_pid=
cleanup () {
  [ -n "$queue_pid" ] && kill "$queue_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
chmod 0755 "$work"

# What of Fristad exists before (the source tree and this test's own files excepted).
fristad_files () {
  find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path "$top" -o -path "$work" \
    -o -path /var/cache -o -path /var/tmp -o -path /tmp -o -path /root \) -prune \
    -o -name '*fristad*' -print 2>/dev/null | sort
}
fristad_files >"$work/before.txt"

say "1. build the packages"
if [ -f build/i18n/clips/clips.stamp ]; then
  packaging/build-debs.sh --clips-dir build/i18n/clips "$work/debs"
else
  packaging/build-debs.sh "$work/debs"
fi
grep -q '^E: ' "$work/debs/lintian.txt" && die "lintian errors"
say "1. install them"
# Its own download directory: CI's package cache is shared with other runs, and locked by them.
mkdir -p "$work/archives/partial"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -o Dir::Cache::Archives="$work/archives" -o DPkg::Lock::Timeout=120 \
  "$work"/debs/fristad-kiosk_*.deb "$work"/debs/fristad-queue_*.deb "$work"/debs/fristad-staff_*.deb \
  "$work"/debs/fristad-inbox_*.deb \
  >"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; die "apt-get install"; }
for b in fristad-kiosk fristad-queue fristad-staff fristad-inbox; do
  [ "$(command -v $b)" = "/usr/bin/$b" ] || die "$b is not installed in /usr/bin"
done
getent passwd fristad-kiosk | grep -q ':/usr/sbin/nologin$' || die "no fristad-kiosk user without a shell"
[ "$(stat -c '%a %U' /var/lib/fristad-kiosk)" = "700 fristad-kiosk" ] || die "/var/lib/fristad-kiosk is not 0700 fristad-kiosk"
[ -f /etc/dconf/db/fristad-kiosk ] || die "dconf database of the kiosk lock-down not compiled"
for m in fristad-kiosk fristad-queue fristad-staff fristad-inbox; do
  man -w "$m" >/dev/null 2>&1 || [ -f "/usr/share/man/man1/$m.1.gz" ] || die "no man page for $m"
done

say "2. fristad-kiosk --check-config on the example site"
fristad-kiosk --check-config --config /usr/share/doc/fristad-kiosk/examples/site/kiosk.conf \
  >"$work/check.txt" 2>&1 || { cat "$work/check.txt" >&2; die "example site does not check"; }
grep -q '^config OK' "$work/check.txt" || die "--check-config did not say config OK"
# The site's own name and contacts' names, spoken by the installed tool into its content.
mkdir -m 0700 "$work/example"
cp /usr/share/doc/fristad-kiosk/examples/site/kiosk.conf "$work/example/kiosk.conf"
/usr/libexec/fristad/fristad-make-clips --site-config "$work/example/kiosk.conf" --lang sv --lang en \
  >"$work/make-clips.txt" 2>&1 || { cat "$work/make-clips.txt" >&2; die "fristad-make-clips --site-config"; }
for lang in sv en; do
  [ -s "$work/example/content/$lang/clips/contact.emergency.name.opus" ] \
    && grep -q '^\[clip contact.emergency.name\]' "$work/example/content/$lang/clips/clips.ini" \
    || die "fristad-make-clips made no $lang clip of the emergency contact's name"
done
say "2. $(tail -n 1 "$work/make-clips.txt")"

say "3. submit → queue → fetch → open"
mkdir -m 0700 "$work/staff" "$work/queue" "$work/site" "$work/inbox" "$work/out"
printf 'install test passphrase\n' >"$work/pass"
fristad-staff keygen --out "$work/staff/staff.key" --passphrase-file "$work/pass" >"$work/keys.txt" \
  || die "fristad-staff keygen"
recipient=$(sed -n 1p "$work/keys.txt")
reader=$(sed -n 2p "$work/keys.txt")
port=$(( 20000 + $$ % 20000 ))
db="$work/queue/queue.db"
cat >"$work/site/kiosk.conf" <<CONF
[site]
id=install-test
name=Install test
languages=sv;en
state-dir=state

[queue]
url=http://127.0.0.1:$port

[recipients]
keys=$recipient

[contact emergency]
name=Emergency
phone=112
tiles=help-now

[contact social-services]
name=Social services
phone=+46 000-00 00 00
tiles=talk

[contact health-advice]
name=Health advice
phone=1177
tiles=talk
CONF
kiosk_key=$(fristad-kiosk --print-kiosk-key --config "$work/site/kiosk.conf") || die "--print-kiosk-key"
fristad-queue enroll-kiosk --db "$db" --name kiosk-1 "$kiosk_key" || die "enroll-kiosk"
fristad-queue enroll-reader --db "$db" --name staff-1 --recipient "$recipient" "$reader" || die "enroll-reader"
fristad-queue export-kiosks --db "$db" >"$work/kiosks.txt" || die "export-kiosks"
fristad-staff kiosks import "$work/kiosks.txt" --key "$work/staff/staff.key" --passphrase-file "$work/pass" \
  >/dev/null || die "kiosks import"

# The socket the way fristad-queue.socket passes it (LISTEN_FDS=1, fd 3), else --listen.
if command -v systemd-socket-activate >/dev/null; then
  how="socket activation"
  systemd-socket-activate -l "127.0.0.1:$port" /usr/bin/fristad-queue serve --db "$db" \
    >"$work/queue.log" 2>&1 &
else
  how="--listen"
  fristad-queue serve --db "$db" --listen "127.0.0.1:$port" >"$work/queue.log" 2>&1 &
fi
queue_pid=$!
sleep 0.5
kill -0 "$queue_pid" 2>/dev/null || { cat "$work/queue.log" >&2; die "the queue did not start"; }

canary="INSTALLTEST$$"
printf '{"channel":"kiosk","language":"en","answers":{"needs":["shelter"],"message":"%s"},"consent":{"share":true,"text_version":"consent-1"}}' \
  "$canary" >"$work/record.json"
fristad-kiosk --config "$work/site/kiosk.conf" --submit "$work/record.json" >"$work/submit.txt" 2>"$work/submit.err" \
  || { cat "$work/submit.err" >&2; die "fristad-kiosk --submit"; }
id=$(cut -d' ' -f1 "$work/submit.txt")
fristad-kiosk --config "$work/site/kiosk.conf" --flush >/dev/null 2>&1 || true
fristad-staff fetch --server "http://127.0.0.1:$port" --key "$work/staff/staff.key" --inbox "$work/inbox" \
  --passphrase-file "$work/pass" >"$work/fetch.txt" 2>&1 || { cat "$work/fetch.txt" >&2; cat "$work/queue.log" >&2; die "fetch"; }
fristad-staff open "$id" --inbox "$work/inbox" --key "$work/staff/staff.key" --out "$work/out" \
  --passphrase-file "$work/pass" >"$work/record-out.json" 2>"$work/open.err" || { cat "$work/open.err" >&2; die "open"; }
grep -q "$canary" "$work/record-out.json" || die "the opened record does not hold what was sent"
grep -q "\"$id\"" "$work/record-out.json" || die "the opened record is not $id"
grep -rq "$canary" "$work/queue" && die "the queue database holds plaintext"
kill "$queue_pid"; wait "$queue_pid" 2>/dev/null || true; queue_pid=
say "3. record $id went kiosk → queue ($how) → staff and opened"

say "4. the installed unit's sandbox"
score=$(systemd-analyze security --offline=true --no-pager /lib/systemd/system/fristad-queue.service \
  | sed -n 's/^→ Overall exposure level for [^:]*: \([0-9][0-9.]*\) .*/\1/p')
[ -n "$score" ] || die "no exposure score for the installed fristad-queue.service"
say "4. fristad-queue.service exposure $score (limit 1.5)"
awk -v s="$score" 'BEGIN { exit !(s <= 1.5) }' || die "exposure $score is above 1.5"

say "5. the kiosk session"
tests/install/kiosk-session-test.sh || die "the kiosk session"

say "6. purge"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=120 fristad-kiosk fristad-queue fristad-staff fristad-inbox \
  >"$work/purge.log" 2>&1 || { tail -n 30 "$work/purge.log" >&2; die "apt-get purge"; }
fristad_files >"$work/after.txt"
if ! cmp -s "$work/before.txt" "$work/after.txt"; then
  diff "$work/before.txt" "$work/after.txt" >&2 || true
  die "purge left files behind"
fi
getent passwd fristad-kiosk >/dev/null && die "purge left the user fristad-kiosk"
getent group fristad-kiosk >/dev/null && die "purge left the group fristad-kiosk"
[ -e /var/lib/fristad-kiosk ] && die "purge left /var/lib/fristad-kiosk"
say "6. nothing left"

say "PASS in $(( $(date +%s) - start )) s"

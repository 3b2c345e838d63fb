#!/bin/sh
# tests/install/kiosk-session-test.sh — the installed kiosk session (issue 14), as root on a
# machine where the fristad-kiosk package is installed and that may be thrown away (CI: run
# by install-test.sh in the fresh root of tests/fresh-debian.sh, between install and purge).
#
# The session is started the way fristad-kiosk-session.service starts it, from the
# installed unit itself: its User=, its Environment= and its ExecStart= (cage running
# /usr/libexec/fristad/fristad-kiosk-session), with a clean environment (env -i plus what
# systemd gives a User= service), on the shipped example site copied to the unit's
# /etc/fristad/kiosk.conf. There is no seat, no GPU and no init here, so cage runs on
# wlroots' headless backend (WLR_BACKENDS=headless, WLR_LIBINPUT_NO_DEVICES=1,
# WLR_RENDERER=pixman, one 1280x720 output) with a runtime directory made the way logind
# makes it (/run/user/UID, 0700, the kiosk user's). Checks:
#   1. the unit: runs as fristad-kiosk, cage without -s (no VT switching), the dconf
#      profile that locks the inspector; as the kiosk user, GSettings reads the inspector
#      keybinding off and not writable
#   2. the kiosk runs as the kiosk user with no capabilities; the session is started with
#      GTK_DEBUG=interactive planted in its environment, and step 3 sees the welcome screen,
#      not the inspector. (That is the outcome only: with its scrub disabled the kiosk still
#      hides the inspector it was started with; tests/ui/test-lockdown-main checks the scrub.)
#   3. a screenshot (grim, as the kiosk user) is the welcome screen filling the output:
#      the output's size, no black of cage's background in the corners, the red Exit at
#      the top right and none at the top left, and not one uniform colour
#   4. Ctrl+Alt+F2, Ctrl+Shift+D and Ctrl+Shift+I on a keyboard change nothing: still the
#      welcome screen, the same kiosk; then three Escapes, the control, bring the cover (so
#      the keys did reach the kiosk). The headless backend has no input devices, cage 0.1.4
#      has no virtual-keyboard protocol and this machine may have no /dev/uinput, so the
#      unit's same command runs again with cage on wlroots' X11 backend, as a window of an
#      Xvfb that stands for the terminal's screen and keyboard (WLR_BACKENDS=x11, one
#      1024x768 output), and the keys are pressed there through XTest (xdotool): cage reads
#      them as key codes with its own keymap, exactly as it reads a USB keyboard's (the X
#      server's own Ctrl+Alt+F* actions are switched off first, or X would keep them). (wtype
#      through a nested compositor does not do: wlroots' Wayland backend ignores the keymap
#      wtype uploads, so every key wtype types arrives as the key code it chose, which is
#      Escape's.) VT switching itself needs a seat, which this root has not: no -s (step 1)
#      is what turns it off.
#   5. as the kiosk user, the only places it can write are its state directory, where the
#      kiosk made its signing key, and the world-writable temporary directories (which
#      the unit's PrivateTmp=/ProtectSystem=strict take away)
# Prints each step and the wall time. Exit 0 pass, 1 fail.
set -eu
cd "$(dirname "$0")/../.."
start=$(date +%s)
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say () { echo "kiosk-session-test: $*"; }
die () { echo "kiosk-session-test: FAIL: $*" >&2; exit 1; }

unit=/lib/systemd/system/fristad-kiosk-session.service
state=/var/lib/fristad-kiosk
# wlroots' headless backend makes one output of this size (cage 0.1.4 has no option for
# another mode).
width=1280
height=720

[ "$(id -u)" -eq 0 ] || die "needs root (starts the session as the kiosk user)"
[ -f "$unit" ] || die "$unit is not installed"
for tool in cage grim convert identify setpriv setsid unshare gsettings timeout Xvfb xdotool setxkbmap; do
  command -v "$tool" >/dev/null || die "needs $tool (packaging/install-deps.sh)"
done

# --- 1. the unit ------------------------------------------------------------------------
say "1. the installed unit"
unit_value () { sed -n "s/^$1=//p" "$unit"; }
user=$(unit_value User)
[ "$user" = fristad-kiosk ] || die "the unit runs as '$user', not fristad-kiosk"
uid=$(id -u "$user") && gid=$(id -g "$user") || die "no user $user"
[ "$uid" -ne 0 ] || die "$user is root"
home=$(getent passwd "$user" | cut -d: -f6)
shell=$(getent passwd "$user" | cut -d: -f7)
# Environment= lines: whitespace-separated NAME=VALUE words, no quoting (checked).
unit_env=$(unit_value Environment | tr '\n' ' ')
case "$unit_env" in *\"*|*\'*|*\\*) die "Environment= uses quoting this test does not parse" ;; esac
exec_start=$(unit_value ExecStart)
case "$exec_start" in /usr/bin/cage\ *) ;; *) die "ExecStart= does not run /usr/bin/cage: $exec_start" ;; esac
# cage switches VTs only with -s (getopt "dDhm:rsv"; -m takes an argument).
skip=no
for word in $exec_start; do
  if [ "$skip" = yes ]; then skip=no; continue; fi
  case "$word" in
    --) break ;;
    -*)
      flags=${word#-}
      case "${flags%%m*}" in *s*) die "cage is started with -s: VT switching is on ($exec_start)" ;; esac
      case "$flags" in *m) skip=yes ;; esac
      ;;
  esac
done
dconf_profile=$(printf '%s\n' $unit_env | sed -n 's/^DCONF_PROFILE=//p')
[ -n "$dconf_profile" ] || die "the unit sets no DCONF_PROFILE"
config=$(printf '%s\n' $unit_env | sed -n 's/^FRISTAD_KIOSK_CONFIG=//p')
config=${config:-/etc/fristad/kiosk.conf}

work=$(mktemp -d /var/tmp/fristad-session.XXXXXX)
chmod 0755 "$work"
runtime=/run/user/$uid
session_pid=
xvfb_pid=
made_config=no
cleanup () {
  stop_session
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  [ "$made_config" = yes ] && rm -f "$config"
  rm -rf "$runtime" "$work"
  rmdir /run/user 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The kiosk's processes (procps may not be installed): their ids.
kiosk_pids () {
  for dir in /proc/[0-9]*; do
    [ "$(cat "$dir/comm" 2>/dev/null)" = fristad-kiosk ] && [ "$(stat -c %u "$dir")" = "$uid" ] \
      && echo "${dir#/proc/}"
  done
  return 0
}

# As the kiosk user, with systemd's environment for a User= service plus the unit's.
as_kiosk () {
  setpriv --reuid="$uid" --regid="$gid" --init-groups --inh-caps=-all -- \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$home" LOGNAME="$user" USER="$user" SHELL="$shell" $unit_env \
    XDG_RUNTIME_DIR="$runtime" "$@"
}

mkdir -p /run/user
[ -e "$runtime" ] && die "$runtime exists already"
install -d -m 0700 -o "$uid" -g "$gid" "$runtime"

key=org.gtk.gtk4.Settings.Debug
[ "$(as_kiosk gsettings get $key enable-inspector-keybinding 2>&1)" = false ] \
  || die "as the kiosk user, $key enable-inspector-keybinding is not false"
[ "$(as_kiosk gsettings writable $key enable-inspector-keybinding 2>&1)" = false ] \
  || die "as the kiosk user, $key enable-inspector-keybinding can be changed (no dconf lock)"
say "1. user $user ($uid), no -s in '$exec_start', inspector keybinding off and locked (DCONF_PROFILE=$dconf_profile)"

# --- 2. the session ---------------------------------------------------------------------
say "2. the session: cage (headless) → fristad-kiosk-session → fristad-kiosk"
if [ ! -e "$config" ]; then
  install -d -m 0755 "$(dirname "$config")"
  install -m 0644 /usr/share/doc/fristad-kiosk/examples/site/kiosk.conf "$config"
  made_config=yes
fi
# Its own session and process group, so that cleanup stops all of it, as systemd would;
# in /, systemd's working directory for a service; its own /tmp and /var/tmp, as the unit's
# PrivateTmp=yes gives it (wlroots refuses an /tmp/.X11-unix that another user made).
# start_session LOG BACKEND-VARIABLES…: the unit's command, with wlroots' backend chosen.
start_session () {
  log=$1; shift
  (cd / && exec unshare --mount --propagation unchanged -- sh -c \
    'mount -t tmpfs -o mode=1777 tmpfs /tmp && mount -t tmpfs -o mode=1777 tmpfs /var/tmp && exec "$@"' session \
    setsid setpriv --reuid="$uid" --regid="$gid" --init-groups --inh-caps=-all -- \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$home" LOGNAME="$user" USER="$user" SHELL="$shell" $unit_env \
    XDG_RUNTIME_DIR="$runtime" WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman "$@" \
    $exec_start) >"$log" 2>&1 &
  session_pid=$!
  session_log=$log
  socket=
  kiosk_pid=
  for _ in $(seq 1 120); do
    kill -0 "$session_pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "cage exited"; }
    [ -z "$socket" ] && socket=$(cd "$runtime" && ls wayland-* 2>/dev/null | grep -v '\.lock$' | head -n 1) || true
    [ -z "$kiosk_pid" ] && kiosk_pid=$(kiosk_pids | head -n 1) || true
    [ -n "$socket" ] && [ -n "$kiosk_pid" ] && break
    sleep 0.5
  done
  [ -n "$socket" ] || { tail -n 20 "$log" >&2; die "cage made no Wayland socket in $runtime"; }
  [ -n "$kiosk_pid" ] || { tail -n 20 "$log" >&2; die "the kiosk did not start"; }
}
# The way systemd stops the unit: SIGTERM to every process of the session.
stop_session () {
  [ -n "$session_pid" ] || return 0
  kill -TERM "-$session_pid" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "-$session_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "-$session_pid" 2>/dev/null || true
  session_pid=
}
start_session "$work/session.log" WLR_BACKENDS=headless GTK_DEBUG=interactive
status=/proc/$kiosk_pid/status
for field in Uid Gid; do
  set -- $(sed -n "s/^$field:[[:space:]]*//p" "$status")
  want=$uid; [ "$field" = Gid ] && want=$gid
  [ "$1 $2 $3 $4" = "$want $want $want $want" ] || die "the kiosk's $field is $*, not $want"
done
[ "$(sed -n 's/^CapEff:[[:space:]]*//p' "$status")" = 0000000000000000 ] || die "the kiosk has capabilities"
say "2. fristad-kiosk (pid $kiosk_pid) runs as $user, no capabilities, on $socket"

# --- 3. the screenshot ------------------------------------------------------------------
shot () {
  as_kiosk WAYLAND_DISPLAY="$socket" grim -t png - >"$1" 2>"$work/grim.log"
}
fraction () {   # fraction IMAGE GEOMETRY: of the pixels in GEOMETRY, how many are Exit's red
  convert "$1" -crop "$2" +repage -fuzz 12% -fill black +opaque '#b00020' \
    -fill white -opaque '#b00020' -colorspace gray -format '%[fx:mean]' info:
}
welcome_failure () {   # welcome_failure IMAGE: empty if IMAGE is the welcome screen filling the output
  size=$(identify -format '%wx%h' "$1" 2>/dev/null) || { echo "not an image"; return; }
  [ "$size" = "${width}x${height}" ] || { echo "the screenshot is $size, not the output's ${width}x${height}"; return; }
  # cage's background is black wherever no client draws.
  for corner in 16x16+0+0 16x16+$((width - 16))+$((height - 16)) 16x16+0+$((height - 16)); do
    max=$(convert "$1" -crop "$corner" +repage -colorspace gray -format '%[fx:maxima]' info:)
    awk -v m="$max" 'BEGIN { exit !(m < 0.05) }' && { echo "black in the corner $corner: the kiosk does not fill the output"; return; }
  done
  red_right=$(fraction "$1" "$((width / 4))x$((height / 8))+$((width * 3 / 4))+0")
  red_left=$(fraction "$1" "$((width / 4))x$((height / 8))+0+0")
  awk -v r="$red_right" 'BEGIN { exit !(r >= 0.05) }' || { echo "no red Exit at the top right ($red_right of it red)"; return; }
  awk -v r="$red_left" 'BEGIN { exit !(r < 0.01) }' || { echo "red at the top left ($red_left)"; return; }
  sd=$(convert "$1" -colorspace gray -format '%[fx:standard_deviation]' info:)
  awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }' || { echo "one uniform colour (deviation $sd)"; return; }
}

# wait_for_welcome IMAGE: screenshots into IMAGE, once a second for up to 60 s, until one is
# the welcome screen filling the output; otherwise $failure says why the last one was not.
wait_for_welcome () {
  failure="no screenshot"
  for _ in $(seq 1 60); do
    kill -0 "$session_pid" 2>/dev/null || { tail -n 20 "$session_log" >&2; die "cage exited"; }
    if shot "$1"; then
      failure=$(welcome_failure "$1") || failure="ImageMagick could not read the screenshot"
      [ -z "$failure" ] && return 0
    else
      failure="grim: $(cat "$work/grim.log")"
    fi
    sleep 1
  done
  return 0
}

say "3. the welcome screen"
wait_for_welcome "$work/welcome.png"
if [ -n "$failure" ]; then
  cp "$work/welcome.png" /var/tmp/fristad-kiosk-session-fail.png 2>/dev/null \
    && echo "kiosk-session-test: the last screenshot: /var/tmp/fristad-kiosk-session-fail.png" >&2
  tail -n 20 "$work/session.log" >&2
  die "$failure"
fi
[ "$(kiosk_pids | head -n 1)" = "$kiosk_pid" ] || die "the kiosk restarted"
[ -n "${FRISTAD_SESSION_SHOT:-}" ] && cp "$work/welcome.png" "$FRISTAD_SESSION_SHOT"
red_right=$(fraction "$work/welcome.png" "$((width / 4))x$((height / 8))+$((width * 3 / 4))+0")
sd=$(convert "$work/welcome.png" -colorspace gray -format '%[fx:standard_deviation]' info:)
say "3. ${width}x${height}, filled, red Exit at the top right ($red_right of that corner), deviation $sd"

# --- 4. the keys ------------------------------------------------------------------------
# Of the middle band (where the language buttons are), the fraction in the buttons' grey:
# most of it on the welcome screen, none on the cover.
buttons () {
  convert "$1" -crop "${width}x$((height * 35 / 100))+0+$((height * 45 / 100))" +repage \
    -fuzz 3% -fill black +opaque '#e6e6e6' -fill white -opaque '#e6e6e6' \
    -colorspace gray -format '%[fx:mean]' info:
}
press () {   # press KEYS…: XTest key presses on the display cage's window is on
  DISPLAY=":$display" timeout 10 xdotool key --delay 150 "$@" >>"$work/xdotool.log" 2>&1 \
    || die "xdotool key $*: $(tail -n 1 "$work/xdotool.log")"
}

say "4. Ctrl+Alt+F2, Ctrl+Shift+D, Ctrl+Shift+I on a keyboard (cage on the X11 backend in Xvfb)"
stop_session
# -noreset: the keymap set below stays when its client disconnects.
Xvfb -displayfd 3 -noreset -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" </dev/null >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do
  grep -q '^[0-9][0-9]*$' "$work/display" 2>/dev/null && break
  kill -0 "$xvfb_pid" 2>/dev/null || die "Xvfb did not start: $(tail -n 1 "$work/xvfb.log")"
  sleep 0.2
done
display=$(cat "$work/display")
[ -n "$display" ] || die "Xvfb gave no display number"
# An X server acts on Ctrl+Alt+F* itself (SwitchScreen) and would keep the key from cage;
# a keyboard on the terminal has no such server: without the server keys, X passes every
# key on, and cage sees Ctrl+Alt+F2 as XF86Switch_VT_2, as it would from a USB keyboard.
DISPLAY=":$display" setxkbmap -option srvrkeys:none >"$work/setxkbmap.log" 2>&1 \
  || die "setxkbmap -option srvrkeys:none: $(tail -n 1 "$work/setxkbmap.log")"
start_session "$work/session-x11.log" WLR_BACKENDS=x11 DISPLAY=":$display"
# wlroots' X11 backend makes one output window of this size.
width=1024
height=768
wait_for_welcome "$work/x11-welcome.png"
[ -z "$failure" ] || { tail -n 20 "$session_log" >&2; die "cage on X11: $failure"; }
before=$(buttons "$work/x11-welcome.png")
awk -v f="$before" 'BEGIN { exit !(f > 0.2) }' || die "no language buttons on the welcome screen ($before of the middle band)"
# The pointer into cage's window, which then has the keyboard (no window manager: focus
# follows the pointer), and out of the buttons' way.
DISPLAY=":$display" xdotool mousemove 512 760 >>"$work/xdotool.log" 2>&1 || die "xdotool mousemove: $(tail -n 1 "$work/xdotool.log")"
press ctrl+alt+F2 ctrl+alt+BackSpace ctrl+shift+d ctrl+shift+i
sleep 2
shot "$work/after-keys.png" || die "grim after the keys: $(cat "$work/grim.log")"
failure=$(welcome_failure "$work/after-keys.png") || failure="ImageMagick could not read the screenshot"
[ -z "$failure" ] || die "after the keys: $failure"
after=$(buttons "$work/after-keys.png")
awk -v f="$after" 'BEGIN { exit !(f > 0.2) }' || die "after the keys the language buttons are gone ($after of the middle band)"
[ "$(kiosk_pids | head -n 1)" = "$kiosk_pid" ] || die "the kiosk restarted after the keys"
grep -q 'session reset' "$session_log" && die "the keys reset the session: $(grep 'session reset' "$session_log" | head -n 1)"
# The control: three Escapes are the kiosk's quick exit.
press Escape Escape Escape
cover=1
for _ in $(seq 1 20); do
  sleep 0.5
  shot "$work/after-escapes.png" || continue
  cover=$(buttons "$work/after-escapes.png")
  awk -v f="$cover" 'BEGIN { exit !(f < 0.02) }' && break
done
awk -v f="$cover" 'BEGIN { exit !(f < 0.02) }' \
  || die "three Escapes did not bring the cover ($cover of the middle band in buttons' grey): the keys never reached the kiosk"
say "4. still the welcome screen after Ctrl+Alt+F2, Ctrl+Alt+Backspace, Ctrl+Shift+D, Ctrl+Shift+I (buttons $before → $after of the band), the same kiosk; three Escapes then the cover ($cover): the keys reached it"
stop_session

# --- 5. where the kiosk user can write --------------------------------------------------
say "5. where $user can write"
ls "$state"/* >/dev/null 2>&1 || die "the kiosk wrote nothing in its state directory $state"
[ -z "$(find "$state" ! -user "$user")" ] || die "files in $state not owned by $user"
# Everything on the root file system it may write, but its state, runtime and world-writable
# sticky temporary directories (private or read-only in the unit: PrivateTmp=yes,
# ProtectSystem=strict).
writable=$(as_kiosk find / -xdev \( -path "$state" -o -path "$runtime" -o -path /tmp -o -path /var/tmp \
  -o -path /run/lock -o -path /dev/shm \) -prune -o -writable ! -type l -print 2>/dev/null) || true
[ -z "$writable" ] || die "$user can write outside its state directory: $(echo "$writable" | head -n 5 | tr '\n' ' ')"
for dir in /tmp /var/tmp /run/lock; do
  [ -d "$dir" ] || continue
  [ "$(stat -c %a "$dir")" = 1777 ] || die "$dir is writable by $user but not a sticky temporary directory"
done
for path in /etc/fristad /usr/share/fristad /var/lib /; do
  as_kiosk sh -c 'touch "$1/.fristad-write-test"' sh "$path" 2>/dev/null \
    && { rm -f "$path/.fristad-write-test"; die "$user can write in $path"; }
done
as_kiosk sh -c 'touch "$1/.write-test" && rm "$1/.write-test"' sh "$state" || die "$user cannot write its state directory"
say "5. only $state (the kiosk's key is there), and /tmp, /var/tmp, /run/lock"

say "PASS in $(( $(date +%s) - start )) s"

#!/usr/bin/env bash
# `make image-test`: boots build/image/kiosk.img (made by `make image`) headless under
# QEMU (KVM when /dev/kvm exists), through UEFI firmware and the image's own systemd-boot,
# and reads the guest's journal on its serial console. On the host, a reference receiver
# (`kiosk-receiver serve`, from this checkout's .venv: `make bootstrap`) has enrolled the
# terminal and made its secret, as a back office does; the guest reaches it, and nothing
# else, through QEMU's restricted user network. Passes when:
#   1. the terminal enrolled the receiver's secret (same fingerprint on both sides),
#   2. the kiosk sent READY=1 under cage (systemd: "Started kiosk.service"),
#   3. the receiver stored the terminal's heartbeat (the kiosk delivered to it),
#   4. after the image's test hook froze the kiosk (SIGSTOP), systemd's watchdog killed it
#      ("Watchdog timeout") and the restarted kiosk sent READY=1 again.
# The image is not changed: the test boots a copy whose boot entry adds a serial console,
# the journal on it and "kiosk.image-test", the switch of the hook (kiosk-image-test*),
# and whose ESP holds the pairing (kiosk-image-test/: kiosk.toml and the secret).
set -euo pipefail
cd "$(dirname "$0")/.."
IMG=build/image/kiosk.img
WORK=build/image-test
TIMEOUT=${IMAGE_TEST_TIMEOUT:-600}
RECEIVER=${IMAGE_TEST_RECEIVER:-.venv/bin/kiosk-receiver}
TERMINAL_ID=image-test-01

[[ -f $IMG ]] || { echo "image-test: no $IMG; build it first: make image" >&2; exit 1; }
[[ -x $RECEIVER ]] || { echo "image-test: no $RECEIVER; make bootstrap first" >&2; exit 1; }
# QEMU, its UEFI firmware (OVMF), mtools to edit the copy's ESP, socat to carry the
# guest's connections to the receiver.
source image/host-packages.sh
ensure_host_packages qemu-system-x86 ovmf mtools socat

rm -rf "$WORK" && mkdir -p "$WORK"
cp --sparse=always "$IMG" "$WORK/test.img"
# The ESP starts at 1 MiB (image/assemble.sh); its boot entry gets the test's arguments.
esp="$WORK/test.img@@1M"
entry=$(mdir -b -i "$esp" ::/loader/entries | head -n1)
mtype -i "$esp" "$entry" \
  | sed -E 's/^options (.*)/options \1 console=ttyS0,115200 systemd.journald.forward_to_console=1 systemd.setenv=WLR_RENDERER=pixman kiosk.image-test/' \
  > "$WORK/entry.conf"
mcopy -o -i "$esp" "$WORK/entry.conf" "$entry"

# The back office's side of the pairing (docs/install.md): the receiver enrols the
# terminal and makes its secret; the terminal gets the secret and a kiosk.toml whose
# back office is 127.0.0.1:8765 (the image's relay to 10.0.2.100:8765, see below).
mkdir -p "$WORK/receiver" "$WORK/pairing"
"$RECEIVER" terminal add "$TERMINAL_ID" --terminals "$WORK/receiver/terminals" \
  > "$WORK/pairing/terminal-secret" 2> "$WORK/receiver/add.log"
sed -E -e 's|^url = .*|url = "http://127.0.0.1:8765"|' \
       -e "s|^terminal_id = .*|terminal_id = \"$TERMINAL_ID\"|" \
  assets/deploy/kiosk.toml > "$WORK/pairing/kiosk.toml"
grep -q '^url = "http://127.0.0.1:8765"' "$WORK/pairing/kiosk.toml" \
  && grep -q "^terminal_id = \"$TERMINAL_ID\"" "$WORK/pairing/kiosk.toml" \
  || { echo "image-test: assets/deploy/kiosk.toml has no url or terminal_id line" >&2; exit 1; }
mcopy -s -i "$esp" "$WORK/pairing" ::/kiosk-image-test

"$RECEIVER" serve --host 127.0.0.1 --port 0 --db "$WORK/receiver/received.sqlite3" \
  --terminals "$WORK/receiver/terminals" > "$WORK/receiver/serve.log" 2>&1 &
receiver=$!
trap 'kill "$receiver" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "^receiver ready on " "$WORK/receiver/serve.log" && break
  kill -0 "$receiver" 2>/dev/null || break
  sleep 0.2
done
port=$(sed -nE 's|^receiver ready on http://127\.0\.0\.1:([0-9]+).*|\1|p' "$WORK/receiver/serve.log")
[[ -n $port ]] || { echo "image-test: the receiver did not start:" >&2
                    cat "$WORK/receiver/serve.log" >&2; exit 1; }

# The guest's only network: 10.0.2.100:8765, each connection carried by socat to the
# receiver (restrict=on: nothing else on the host nor outside is reachable).
nic="user,model=virtio-net-pci,restrict=on,guestfwd=tcp:10.0.2.100:8765-cmd:/usr/bin/socat - TCP:127.0.0.1:$port"

# QEMU until the guest powers off (the test hook does) or TIMEOUT. Under nested
# virtualisation KVM may fail to run the UEFI firmware ("KVM internal error ... emulation
# failure", the VM then hangs), or QEMU may abort at once ("failed to set MSR", exit 134,
# before the guest wrote a line): the test notices and boots again without KVM (TCG).
boot() {
  local accel=$1
  cp /usr/share/OVMF/OVMF_VARS_4M.fd "$WORK/vars.fd"
  : > "$WORK/serial.log"
  timeout "$TIMEOUT" qemu-system-x86_64 \
    -machine q35,accel="$accel" -cpu max -smp 2 -m 2048 \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,file="$WORK/vars.fd" \
    -drive file="$WORK/test.img",format=raw,if=virtio \
    -device virtio-vga -display none -nic "$nic" \
    -serial file:"$WORK/serial.log" -monitor none -no-reboot 2> "$WORK/qemu.err" &
  local qemu=$!
  while kill -0 "$qemu" 2>/dev/null; do
    if grep -q "KVM internal error" "$WORK/qemu.err"; then
      kill "$qemu"
      wait "$qemu" || true
      return 2
    fi
    sleep 2
  done
  wait "$qemu"
  local status=$?
  if [[ $accel == kvm && $status != 0 && $status != 124 && ! -s $WORK/serial.log ]]; then
    return 2
  fi
  return "$status"
}

accel=tcg
[[ -w /dev/kvm && ${IMAGE_TEST_KVM:-1} == 1 ]] && accel=kvm
started=$(date +%s)
echo "image-test: booting a copy of $IMG (accel=$accel, serial log in $WORK/serial.log)"
set +e
boot "$accel"
qemu_status=$?
if [[ $qemu_status == 2 ]]; then
  echo "image-test: KVM cannot run the firmware here (see $WORK/qemu.err); booting with TCG"
  accel=tcg
  started=$(date +%s)
  boot tcg
  qemu_status=$?
fi
set -e
elapsed=$(( $(date +%s) - started ))

log=$WORK/serial.log
failed=0
check() {  # check DESCRIPTION PATTERN [COUNT]: PATTERN is on at least COUNT lines of the log
  local found
  found=$(grep -cE -- "$2" "$log" || true)
  if (( found >= ${3:-1} )); then
    echo "image-test: ok    $1"
  else
    echo "image-test: FAIL  $1 (pattern '$2' seen $found times, wanted ${3:-1})"
    failed=1
  fi
}
paired=$(sed -nE 's/^.*IMAGE-TEST: paired as (.*)$/\1/p' "$log" | head -n1 | tr -d '\r')
if [[ -n $paired && $paired == "$("$RECEIVER" terminal list --terminals "$WORK/receiver/terminals")" ]]; then
  echo "image-test: ok    the terminal enrolled the receiver's secret ($paired)"
else
  echo "image-test: FAIL  the terminal's fingerprint (${paired:-none}) is not the receiver's"
  failed=1
fi
check "systemd got READY=1 from the kiosk under cage" "Started kiosk.service|Started Borne citoyenne kiosk" 1
check "the test hook froze the kiosk" "IMAGE-TEST: SIGSTOP sent" 1
beats=$("$RECEIVER" heartbeats --db "$WORK/receiver/received.sqlite3" --json \
        | python3 -c 'import json, sys
print(sum(b["beats"] for b in map(json.loads, sys.stdin) if b["terminal_id"] == sys.argv[1]))' \
          "$TERMINAL_ID") || beats=0
if (( ${beats:-0} >= 1 )); then
  echo "image-test: ok    the receiver stored the terminal's heartbeat ($beats beat(s))"
else
  echo "image-test: FAIL  the receiver got no heartbeat from $TERMINAL_ID" \
       "(its log: $WORK/receiver/serve.log)"
  failed=1
fi
check "systemd's watchdog fired" "kiosk.service: Watchdog timeout" 1
check "the restarted kiosk sent READY=1 again" "Started kiosk.service|Started Borne citoyenne kiosk" 2
check "the test hook saw the restart" "IMAGE-TEST: PASS" 1
grep -E "IMAGE-TEST: (kiosk READY|the kiosk (did not )?call|the watchdog)" "$log" | sed 's/^.*IMAGE-TEST: /image-test: /' || true
echo "image-test: QEMU ($accel) ran ${elapsed} s (exit status $qemu_status)"
if (( failed )); then
  echo "image-test: FAILED; the guest's journal is in $log" >&2
  exit 1
fi
echo "image-test: PASSED"

#!/usr/bin/env bash
# `make image-test`: boots build/image/kiosk.img (made by `make image`) headless under
# QEMU (KVM when /dev/kvm exists), through UEFI firmware and the image's own systemd-boot,
# and reads the guest's journal on its serial console. Passes when:
#   1. the kiosk sent READY=1 under cage (systemd: "Started kiosk.service"),
#   2. after the image's test hook froze the kiosk (SIGSTOP), systemd's watchdog killed it
#      ("Watchdog timeout") and the restarted kiosk sent READY=1 again.
# The image is not changed: the test boots a copy whose boot entry adds a serial console,
# the journal on it and "kiosk.image-test", the switch of the hook (kiosk-image-test*).
set -euo pipefail
cd "$(dirname "$0")/.."
IMG=build/image/kiosk.img
WORK=build/image-test
TIMEOUT=${IMAGE_TEST_TIMEOUT:-600}

[[ -f $IMG ]] || { echo "image-test: no $IMG; build it first: make image" >&2; exit 1; }
# QEMU, its UEFI firmware (OVMF), and mtools to edit the copy's boot entry.
source image/host-packages.sh
ensure_host_packages qemu-system-x86 ovmf mtools

rm -rf "$WORK" && mkdir -p "$WORK"
cp --sparse=always "$IMG" "$WORK/test.img"
# The ESP starts at 1 MiB (image/assemble.sh); its boot entry gets the test's arguments.
esp="$WORK/test.img@@1M"
entry=$(mdir -b -i "$esp" ::/loader/entries | head -n1)
mtype -i "$esp" "$entry" \
  | sed -E 's/^options (.*)/options \1 console=ttyS0,115200 systemd.journald.forward_to_console=1 systemd.setenv=WLR_RENDERER=pixman kiosk.image-test/' \
  > "$WORK/entry.conf"
mcopy -o -i "$esp" "$WORK/entry.conf" "$entry"

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
    -device virtio-vga -display none -nic none \
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
check "systemd got READY=1 from the kiosk under cage" "Started kiosk.service|Started Borne citoyenne kiosk" 1
check "the test hook froze the kiosk" "IMAGE-TEST: SIGSTOP sent" 1
check "systemd's watchdog fired" "kiosk.service: Watchdog timeout" 1
check "the restarted kiosk sent READY=1 again" "Started kiosk.service|Started Borne citoyenne kiosk" 2
check "the test hook saw the restart" "IMAGE-TEST: PASS" 1
grep -E "IMAGE-TEST: (kiosk READY|the watchdog)" "$log" | sed 's/^.*IMAGE-TEST: /image-test: /' || true
echo "image-test: QEMU ($accel) ran ${elapsed} s (exit status $qemu_status)"
if (( failed )); then
  echo "image-test: FAILED; the guest's journal is in $log" >&2
  exit 1
fi
echo "image-test: PASSED"

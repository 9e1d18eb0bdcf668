#!/usr/bin/env bash
# image/assemble.sh ROOT OUT: turns the image's root folder (from image/build.sh) into
# OUT/kiosk.img, a GPT disk of three partitions, without loop devices or mounts:
#   1 kiosk-esp   FAT32, 256 MiB   ROOT/boot/efi: systemd-boot, kernel, initrd, entry
#   2 kiosk-root  ext4, read-only  ROOT without /var
#   3 kiosk-var   ext4, writable   ROOT/var: the kiosk's data, configuration, credentials,
#                                  journal, apt and dpkg state
# Writes OUT/partitions.txt (sizes). The folders are moved, ROOT is spent afterwards.
set -euo pipefail
ROOT=$1
OUT=$2
MiB=$((1024 * 1024))
ESP_MIB=256

tree=$OUT/trees
rm -rf "$tree" && mkdir -p "$tree"
mv "$ROOT/boot/efi" "$tree/esp" && install -d -m 0700 "$ROOT/boot/efi"
mv "$ROOT/var" "$tree/var" && install -d -m 0755 "$ROOT/var"

used_mib() { du -s --block-size=1M "$1" | cut -f1; }
# Room for ext4's metadata plus what updates add: the root gets 25 % + 512 MiB more than
# its files (a new kernel, Python, Qt); /var 1 GiB for the queue, journal and apt cache.
ROOT_MIB=$(( $(used_mib "$ROOT") * 5 / 4 + 512 ))
VAR_MIB=$(( $(used_mib "$tree/var") + 1024 ))

mkfs.vfat -F 32 -n KIOSK-ESP -C "$OUT/esp.part" $((ESP_MIB * 1024)) >/dev/null
mcopy -s -i "$OUT/esp.part" "$tree/esp"/* ::/
mkfs.ext4 -q -L kiosk-root -d "$ROOT" "$OUT/root.part" "${ROOT_MIB}M" >/dev/null
mkfs.ext4 -q -L kiosk-var -d "$tree/var" "$OUT/var.part" "${VAR_MIB}M" >/dev/null

# 1 MiB before the first partition, 1 MiB after the last for the backup GPT.
esp_start=1
root_start=$((esp_start + ESP_MIB))
var_start=$((root_start + ROOT_MIB))
total=$((var_start + VAR_MIB + 1))
rm -f "$OUT/kiosk.img"
truncate -s $((total * MiB)) "$OUT/kiosk.img"
sfdisk -q "$OUT/kiosk.img" <<TABLE
label: gpt
start=${esp_start}MiB, size=${ESP_MIB}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=kiosk-esp
start=${root_start}MiB, size=${ROOT_MIB}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name=kiosk-root
start=${var_start}MiB, size=${VAR_MIB}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=kiosk-var
TABLE
for part in esp:$esp_start root:$root_start var:$var_start; do
  dd if="$OUT/${part%%:*}.part" of="$OUT/kiosk.img" bs=1M seek="${part##*:}" \
     conv=notrunc,sparse status=none
  rm "$OUT/${part%%:*}.part"
done
rm -rf "$tree"
printf 'partitions (MiB): esp %s, root %s (read-only), var %s; disk %s\n' \
  "$ESP_MIB" "$ROOT_MIB" "$VAR_MIB" "$total" > "$OUT/partitions.txt"

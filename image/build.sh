#!/usr/bin/env bash
# `make image`: a bootable Debian 12 kiosk disk image, built from Debian's packages
# (mmdebstrap) and this checkout's wheel, without loop devices or a running systemd, so
# it builds in a container too. Output in build/image/:
#   kiosk.img        raw GPT disk: ESP (systemd-boot, kernel, initrd), read-only root,
#                    writable /var (the kiosk's data, the credentials, the configuration)
#   kiosk.img.bmap   block map for `bmaptool copy` (writes only the used blocks)
#   build-info.txt   what went in, sizes and build time
# Run as root (mmdebstrap's root mode chroots and mounts /proc). See docs/install.md.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
OUT=${IMAGE_OUT:-build/image}
MIRROR=${IMAGE_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${IMAGE_SECURITY_MIRROR:-${MIRROR%/debian}/debian-security}

[[ $(id -u) -eq 0 ]] || { echo "image: run as root (mmdebstrap chroots and mounts)" >&2; exit 1; }

# Host tools, and why:
#   mmdebstrap            the Debian root file system, in one apt run
#   dosfstools mtools     the EFI system partition, filled without mounting it
#   fdisk                 sfdisk writes the GPT partition table
#   e2fsprogs             mkfs.ext4 -d fills the root and /var file systems from folders
#   bmap-tools            the block map that makes writing the image fast
#   python3 python3-pip   pip builds the wheels of the kiosk and its dependencies (Debian's
#                         python3 comes without pip)
source image/host-packages.sh
ensure_host_packages mmdebstrap dosfstools mtools fdisk e2fsprogs bmap-tools python3 python3-pip

# Packages of the image, and why (the kiosk's own list is scripts/bootstrap.sh's):
IMAGE_PACKAGES=(
  # boot: kernel, initrd, systemd-boot (its kernel-install hook puts kernel updates on
  # the ESP), a real init and device manager
  linux-image-amd64 initramfs-tools systemd-boot systemd systemd-sysv udev dbus
  libpam-systemd kmod e2fsprogs
  # seatd: cage takes the screen and input through it (assets/deploy/kiosk.service)
  seatd
  # network (DHCP), name resolution, clock (requests are signed with the time), TLS roots
  systemd-resolved systemd-timesyncd ca-certificates
  # security updates installed every day without anyone logged in
  unattended-upgrades
  # the compositor and its graphics stack (Mesa: GPU drivers, llvmpipe without a GPU)
  cage libgl1-mesa-dri libegl-mesa0 libgles2
  # cage 0.1.4 stops at start without the Xwayland binary (it is also the xcb fallback)
  xwayland
  # Python for /opt/kiosk
  python3 python3-venv
  # speech and audio
  espeak-ng libespeak-ng1 espeak-ng-data alsa-utils
  # Qt: wayland plugin (under cage) and xcb fallback libraries, fonts
  libwayland-client0 libwayland-cursor0 libwayland-egl1
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0
  fonts-dejavu-core fonts-opendyslexic
)

rm -rf "$OUT"
mkdir -p "$OUT/wheels"
payload=("$OUT/wheels" assets image/customize.sh)  # copied to /tmp/image in the image
# No remote shell unless asked for: IMAGE_SSH_KEYS=FILE (an authorized_keys file) adds an
# SSH server that lets in root with those keys only (image/ssh/).
if [[ -n ${IMAGE_SSH_KEYS:-} ]]; then
  install -m 0600 "$IMAGE_SSH_KEYS" "$OUT/authorized_keys"
  payload+=("$OUT/authorized_keys" image/ssh)
  IMAGE_PACKAGES+=(openssh-server)
fi
# The project's wheel and every dependency's, for an offline install inside the image.
# Debian's own Python (/usr/bin/python3, not whichever python3 comes first in PATH) is the
# image's: Python 3.11 on x86_64 glibc (Debian 12), so the wheels it picks fit.
/usr/bin/python3 -m pip wheel -q --no-deps -w "$OUT/wheels" .
/usr/bin/python3 -m pip wheel -q -w "$OUT/wheels" "$OUT"/wheels/borne_citoyenne-*.whl

ROOT="$OUT/root"
# Downloaded packages are kept between builds in build/image-cache (apt checks them).
CACHE=build/image-cache
mkdir -p "$CACHE"
mmdebstrap --variant=minbase --mode=root --format=directory \
  --skip=download/empty --skip=essential/unlink \
  --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
  --setup-hook="sync-in $CACHE /var/cache/apt/archives" \
  --customize-hook="sync-out /var/cache/apt/archives $CACHE" \
  --include="$(IFS=,; echo "${IMAGE_PACKAGES[*]}")" \
  --customize-hook="copy-in image/rootfs/. /" \
  --customize-hook="mkdir -p \"\$1/tmp/image\" && cp -a ${payload[*]} \"\$1/tmp/image/\"" \
  --customize-hook='chroot "$1" /bin/bash /tmp/image/customize.sh' \
  --customize-hook='rm -rf "$1/tmp/image"' \
  bookworm "$ROOT" \
  "deb $MIRROR bookworm main" \
  "deb $MIRROR bookworm-updates main" \
  "deb $SECURITY_MIRROR bookworm-security main"

image/assemble.sh "$ROOT" "$OUT"
rm -rf "$ROOT"
bmaptool -q create -o "$OUT/kiosk.img.bmap" "$OUT/kiosk.img"
elapsed=$(( $(date +%s) - started ))
{
  echo "built: $(date -u +%FT%TZ) in ${elapsed} s"
  echo "image: $(du -h --apparent-size "$OUT/kiosk.img" | cut -f1) (allocated $(du -h "$OUT/kiosk.img" | cut -f1))"
  cat "$OUT/partitions.txt"
} | tee "$OUT/build-info.txt"

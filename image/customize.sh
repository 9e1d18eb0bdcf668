#!/bin/bash
# Runs inside the image's root (chroot), from image/build.sh: installs the kiosk, its
# units, users and folders exactly as docs/install.md tells a technician to, and locks the
# system down (no login prompt, no remote shell, read-only root, automatic security updates).
set -euo pipefail
src=/tmp/image
deploy=$src/assets/deploy

# The kiosk, offline, into its own virtual environment (docs/install.md, step 4).
python3 -m venv /opt/kiosk
/opt/kiosk/bin/pip install -q --isolated --no-index --find-links "$src/wheels" borne-citoyenne
/opt/kiosk/bin/python -m compileall -q /opt/kiosk >/dev/null || true

# User, folders, units (steps 3 and 7): the files of assets/deploy as they are.
install -D -m 0644 "$deploy/sysusers.d/kiosk.conf" /etc/sysusers.d/kiosk.conf
install -D -m 0644 "$deploy/tmpfiles.d/kiosk.conf" /etc/tmpfiles.d/kiosk.conf
install -m 0644 "$deploy/kiosk.service" /etc/systemd/system/kiosk.service
install -m 0644 "$deploy/kiosk-receiver.service" /etc/systemd/system/kiosk-receiver.service
install -D -m 0644 "$deploy/keyringrc.cfg" /var/lib/kiosk/.config/python_keyring/keyringrc.cfg
systemd-sysusers
systemd-tmpfiles --create /etc/tmpfiles.d/kiosk.conf
chown -R kiosk:kiosk /var/lib/kiosk/.config

# The configuration and the encrypted credentials live on /var (the root is read-only) and
# are bind-mounted on /etc/kiosk and /etc/credstore.encrypted (etc/fstab).
install -d -m 0755 /var/local/etc/kiosk
install -d -m 0700 /var/local/etc/credstore.encrypted /etc/credstore.encrypted
install -m 0644 "$deploy/kiosk.toml" /var/local/etc/kiosk/kiosk.toml

# systemd-boot on the EFI system partition (a folder here: image/assemble.sh makes it a
# FAT partition), with this kernel as its entry; /etc/kernel/cmdline is the command line.
# bootctl and kernel-install want the ESP to be a file system of its own: a tmpfs while
# they run, copied back into the folder afterwards.
export SYSTEMD_RELAX_ESP_CHECKS=1
install -d -m 0700 /boot/efi /boot/esp.tmp
mount -t tmpfs -o mode=0700 kiosk-esp /boot/efi
trap 'umount /boot/efi' EXIT
bootctl install --esp-path=/boot/efi --no-variables --entry-token=literal:kiosk
printf 'timeout 0\neditor no\n' > /boot/efi/loader/loader.conf
# Each terminal seeds its own (systemd-random-seed); a seed shared by all images is none.
rm -f /boot/efi/loader/random-seed
for kernel in /boot/vmlinuz-*; do
  version=${kernel#/boot/vmlinuz-}
  BOOT_ROOT=/boot/efi kernel-install add "$version" "$kernel" "/boot/initrd.img-$version"
done
cp -a /boot/efi/. /boot/esp.tmp/
umount /boot/efi
trap - EXIT
cp -a /boot/esp.tmp/. /boot/efi/
rm -rf /boot/esp.tmp

systemctl enable systemd-networkd systemd-resolved systemd-timesyncd kiosk.service
# The kiosk starts without a network (the queue waits): nothing waits for one at boot.
systemctl disable systemd-networkd-wait-online.service
systemctl enable kiosk-image-test-prepare.service kiosk-image-test.service \
  kiosk-image-test-relay.socket
systemctl set-default graphical.target
# No login prompt on any console (the kiosk owns tty1), no shell on the serial port.
systemctl mask getty@.service serial-getty@.service autovt@.service console-getty.service
# The root account stays locked (no password). An SSH server only when the image was
# built with IMAGE_SSH_KEYS (docs/install.md): root, with those keys, nothing else.
passwd -l root >/dev/null
if [[ -f $src/authorized_keys ]]; then
  install -d -m 0700 /root/.ssh
  install -m 0600 "$src/authorized_keys" /root/.ssh/authorized_keys
  install -m 0644 "$src/ssh/sshd-kiosk.conf" /etc/ssh/sshd_config.d/kiosk.conf
  install -D -m 0644 "$src/ssh/ssh-hostkeys.conf" /etc/systemd/system/ssh.service.d/kiosk.conf
  rm -f /etc/ssh/ssh_host_*
  systemctl enable ssh.service
fi

# No machine id in the image (each terminal is its own machine). With the root read-only,
# systemd makes a new one in memory at every boot: the persistent journal keeps one
# folder per boot in /var/log/journal, and journalctl reads them all.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
ln -sf /etc/machine-id /var/lib/dbus/machine-id
# Every terminal makes its own host key (systemd-creds) on first boot, on /var.
rm -f /var/lib/systemd/credential.secret
ln -sf ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf
echo kiosk > /etc/hostname
apt-get clean
rm -rf /var/lib/apt/lists/*

#!/bin/busybox sh
# Edge Installer, run from the USB stick by the boot stage.
# Writes the real layout to the host's disk:
#   vda1 COS_OEM         user-data, agent settings, bootloader environment
#   vda2 COS_RECOVERY    the installer's OS, to recover a broken host
#   vda5 COS_ACTIVE      the OS the host boots (slot A)
#   vda6 COS_PASSIVE     fallback copy of the OS (slot B)
#   vda7 COS_PERSISTENT  everything that survives upgrades and resets
# then honours install.reboot / install.poweroff from the user-data.
#
# Contract: every step whose failure matters is checked. A failed step prints
# what happened and what to do, emits `install.failed reason=<one word>
# [key=value…]` and halts: install.complete comes only after every step,
# including the check that the user data on the disk is the stick's.
. /lib/edge/lib.sh
stick=/mnt/usb

# The shell reads its script as it runs and the stick may be pulled at any
# moment: run from a copy in RAM, so a pulled stick fails a step, not the shell.
if [ "$0" != /tmp/install.sh ] && cp "$0" /tmp/install.sh 2>/dev/null; then exec /bin/busybox sh /tmp/install.sh; fi

fail() {
  reason=$1; shift
  echo
  echo "=================================================================="
  echo " Edge Installer: INSTALLATION FAILED"
  echo " $*"
  echo "=================================================================="
  emit install.failed reason=$reason $EXTRA
  halt_forever
}

# The stick's block device (the boot stage mounted it on $stick).
while read -r dev mnt _; do [ "$mnt" = "$stick" ] && stick_dev=${dev#/dev/}; done < /proc/mounts

# stick_gone TENTHS: true once the stick's device is gone (the stick was
# pulled), polling up to TENTHS x 0.1 s.
stick_gone() {
  [ -n "$stick_dev" ] || return 1
  i=0
  while [ -e "/sys/block/$stick_dev" ] && [ "$i" -lt "$1" ]; do usleep 100000; i=$((i + 1)); done
  [ ! -e "/sys/block/$stick_dev" ]
}

# stick_failed STEP REASON MESSAGE: a step that reads the stick failed. A pulled
# stick is named as such (reason usb-removed); else REASON and MESSAGE say it.
# Reads fail a moment before the kernel drops a pulled stick's device, hence
# the wait (up to 5 s) before deciding.
stick_failed() {
  EXTRA="step=$1"
  stick_gone 50 && fail usb-removed "The installer USB stick was removed during the install: insert it and restart the host to install again."
  fail "$2" "$3"
}

# Test-only, for the lab's VM tests: with edge.test.hold=copying-user-data on
# the kernel command line the installer waits at that step (up to 30 s) until
# the stick is pulled, so a test pulls it there for sure (the copy itself lasts
# a few tens of ms, less than a pull takes). Without the flag nothing waits.
case " $EDGE_CMDLINE " in *" edge.test.hold=copying-user-data "*) test_hold=1 ;; esac

# unmount DIR: writes DIR's filesystem out to the disk, reporting write errors
# (syncfs; umount alone does not), then unmounts it.
unmount() {
  sync -f "$1" && umount "$1" || fail write "Writing to the disk ($1) failed. Check the host's disk and install again."
}

# Read from the stick before anything is written: the installer's settings and
# the sha256 the forge recorded for every file (manifest.json).
bad_stick="This stick is not a complete Edge Installer. Build the installer again and restart the host."
[ -r "$stick/installer/layout.env" ] && [ -r "$stick/user-data.env" ] || stick_failed start bad-stick "$bad_stick"
. "$stick/installer/layout.env"
. "$stick/user-data.env"
manifest=$(cat "$stick/manifest.json") || stick_failed start bad-stick "$bad_stick"

echo "Edge Installer $INSTALLER_VERSION: installing Palette Edge onto this host"
emit install.started version=$INSTALLER_VERSION
[ -b /dev/vda ] || fail no-disk "No internal disk found. Attach a disk to the host and power on again."

have_mb=$(( $(cat /sys/block/vda/size) / 2048 ))
if [ "$have_mb" -lt "$MIN_DISK_MB" ]; then
  EXTRA="need_mb=$MIN_DISK_MB have_mb=$have_mb"
  fail disk-too-small "The disk is too small: $have_mb MiB found, at least $MIN_DISK_MB MiB needed. Give the host a larger disk and install again."
fi

# MBR with an extended partition: busybox fdisk writes no GPT. fdisk fails when
# it cannot write the table or the kernel keeps the old one (a reinstall's
# partitions then still exist, so waiting for them alone proves nothing).
printf 'o\nn\np\n1\n\n+%sM\nn\np\n2\n\n+%sM\nn\ne\n3\n\n\nn\nl\n\n+%sM\nn\nl\n\n+%sM\nn\nl\n\n\nw\n' \
  "$OEM_MB" "$RECOVERY_MB" "$SLOT_MB" "$SLOT_MB" | fdisk /dev/vda >/dev/null 2>&1 ||
  fail partition "Partitioning failed: the partition table could not be written to /dev/vda."
for n in 1 2 5 6 7; do
  wait_for /dev/vda$n 50 || fail partition "Partitioning failed: /dev/vda$n did not appear."
done
emit install.step step=partitioned disk_mb=$have_mb

format() { mke2fs -F -q -m 0 -i 65536 -L "$2" "$1" >/dev/null 2>&1 || fail format "Formatting $1 as $2 failed."; }
format /dev/vda1 COS_OEM
format /dev/vda2 COS_RECOVERY
format /dev/vda5 COS_ACTIVE
format /dev/vda6 COS_PASSIVE
format /dev/vda7 COS_PERSISTENT
emit install.step step=formatted

# The OS image is unpacked once, into the active slot; the passive and recovery
# slots get copies of it (gunzip under TCG costs more than copying files).
# gzip's CRC makes tar fail on a short or damaged image.
mkdir -p /mnt/active /mnt/target
mount -t ext4 /dev/vda5 /mnt/active || fail mount "Cannot mount /dev/vda5."
tar -xzf "$stick/os/$OS_IMAGE" -C /mnt/active ||
  stick_failed os write-os "Writing the OS image to the active slot failed: the stick could not be read or the disk written. Restart the host to install again; if it fails again, build the installer again."
echo active > /mnt/active/etc/edge-slot || fail write-os "Writing the OS image to the active slot failed."
emit install.step step=os-written slot=active
copy_os() { # DEVICE NAME
  mount -t ext4 "$1" /mnt/target || fail mount "Cannot mount $1."
  cp -a /mnt/active/. /mnt/target/ || fail write-os "Writing the OS image to the $2 slot failed."
  echo "$2" > /mnt/target/etc/edge-slot || fail write-os "Writing the OS image to the $2 slot failed."
  unmount /mnt/target
  emit install.step step=os-written slot=$2
}
copy_os /dev/vda6 passive
copy_os /dev/vda2 recovery
unmount /mnt/active

# The user data: each file on the stick and its name in COS_OEM, where the OS
# reads it (90_custom.yaml as written, the agent's settings, the commands of the
# boot and network stages). Each copy is checked against the sha256 that the
# manifest records for it, on the disk (after a remount), so a short or damaged
# copy fails the install; a file the manifest lacks fails the check too.
mkdir -p /mnt/oem
mount -t ext4 /dev/vda1 /mnt/oem || fail mount "Cannot mount COS_OEM."
emit install.step step=copying-user-data
[ -n "$test_hold" ] && stick_gone 300
: > /tmp/user-data.sha256
for pair in user-data:90_custom.yaml user-data.env:edge-agent.env user-data-stages.sh:user-data-stages.sh; do
  from=${pair%%:*} to=${pair#*:}
  cp "$stick/$from" "/mnt/oem/$to" ||
    stick_failed user-data user-data "Copying the user data ($from) from the stick to the disk failed. Restart the host to install again."
  sum=${manifest#*\"$from\": \"}
  echo "${sum%%\"*}  /mnt/oem/$to" >> /tmp/user-data.sha256
done
write_oem_failed="Writing COS_OEM on the disk failed. Check the host's disk and install again."
printf 'saved_entry=active\n' > /mnt/oem/grubenv || fail write "$write_oem_failed"
echo "$INSTALLER_VERSION" > /mnt/oem/installer-version || fail write "$write_oem_failed"
# A value of this installation alone: Palette tells a reinstalled host from the one it knew.
head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' > /mnt/oem/install-id || fail write "$write_oem_failed"
unmount /mnt/oem
mount -t ext4 -o ro /dev/vda1 /mnt/oem || fail mount "Cannot mount COS_OEM."
sha256sum -c -s /tmp/user-data.sha256 ||
  fail user-data-mismatch "The user data on the disk does not match the stick's (a short or damaged copy). Restart the host to install again; if it fails again, build the installer again."
umount /mnt/oem
emit install.step step=user-data-stored
# The whole disk, down to the device's write cache (fsync of the device; a bare sync reports nothing).
sync /dev/vda || fail write "Writing to the disk failed. Check the host's disk and install again."

echo
echo "=================================================================="
echo " Installation Complete"
if [ "$EDGE_INSTALL_POWEROFF" = true ]; then
  echo " install.poweroff is set: powering off."
  action=poweroff
elif [ "$EDGE_INSTALL_REBOOT" = true ]; then
  echo " install.reboot is set: rebooting. Remove the USB stick or the host installs again."
  action=reboot
else
  echo " Remove the USB stick, then power the host off and ship it to its site."
  action=none
fi
echo "=================================================================="
emit install.complete action=$action
umount "$stick" 2>/dev/null
case "$action" in
  poweroff) poweroff -f ;;
  reboot) reboot -f ;;
esac
# The screen stays up with a shell for the curious.
exec setsid cttyhack sh -l

#!/bin/busybox sh
# Edge Installer, run from the USB stick by the boot stage.
# Writes the real layout to the host's disk:
#   vda1 COS_OEM         user-data, agent settings, bootloader environment
#   vda2 COS_RECOVERY    the installer's OS, to recover a broken host
#   vda5 COS_ACTIVE      the OS the host boots (slot A)
#   vda6 COS_PASSIVE     fallback copy of the OS (slot B)
#   vda7 COS_PERSISTENT  everything that survives upgrades and resets
# then honours install.reboot / install.poweroff from the user-data.
. /lib/edge/lib.sh
stick=/mnt/usb
. "$stick/installer/layout.env"
. "$stick/user-data.env"

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

echo "Edge Installer $INSTALLER_VERSION: installing Palette Edge onto this host"
emit install.started version=$INSTALLER_VERSION
[ -b /dev/vda ] || fail no-disk "No internal disk found. Attach a disk to the host and power on again."

have_mb=$(( $(cat /sys/block/vda/size) / 2048 ))
if [ "$have_mb" -lt "$MIN_DISK_MB" ]; then
  EXTRA="need_mb=$MIN_DISK_MB have_mb=$have_mb"
  fail disk-too-small "The disk is too small: $have_mb MiB found, at least $MIN_DISK_MB MiB needed. Give the host a larger disk and install again."
fi

# MBR with an extended partition: busybox fdisk writes no GPT.
printf 'o\nn\np\n1\n\n+%sM\nn\np\n2\n\n+%sM\nn\ne\n3\n\n\nn\nl\n\n+%sM\nn\nl\n\n+%sM\nn\nl\n\n\nw\n' \
  "$OEM_MB" "$RECOVERY_MB" "$SLOT_MB" "$SLOT_MB" | fdisk /dev/vda >/dev/null 2>&1
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
mkdir -p /mnt/active /mnt/target
mount -t ext4 /dev/vda5 /mnt/active || fail mount "Cannot mount /dev/vda5."
tar -xzf "$stick/os/$OS_IMAGE" -C /mnt/active || fail write-os "Writing the OS image to the active slot failed."
echo active > /mnt/active/etc/edge-slot
emit install.step step=os-written slot=active
copy_os() { # DEVICE NAME
  mount -t ext4 "$1" /mnt/target || fail mount "Cannot mount $1."
  cp -a /mnt/active/. /mnt/target/ || fail write-os "Writing the OS image to the $2 slot failed."
  echo "$2" > /mnt/target/etc/edge-slot
  umount /mnt/target
  emit install.step step=os-written slot=$2
}
copy_os /dev/vda6 passive
copy_os /dev/vda2 recovery
umount /mnt/active

mkdir -p /mnt/oem
mount -t ext4 /dev/vda1 /mnt/oem || fail mount "Cannot mount COS_OEM."
cp "$stick/user-data" /mnt/oem/90_custom.yaml
cp "$stick/user-data.env" /mnt/oem/edge-agent.env
# The commands of the boot and network stages (run by the provider OS).
[ -f "$stick/user-data-stages.sh" ] && cp "$stick/user-data-stages.sh" /mnt/oem/user-data-stages.sh
printf 'saved_entry=active\n' > /mnt/oem/grubenv
echo "$INSTALLER_VERSION" > /mnt/oem/installer-version
# A value of this installation alone: Palette tells a reinstalled host from the one it knew.
head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' > /mnt/oem/install-id
umount /mnt/oem
emit install.step step=user-data-stored
sync

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

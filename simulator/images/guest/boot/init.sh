#!/bin/busybox sh
# Edge Lab boot stage: plays the firmware and bootloader of a virtual edge host.
# The simulator (the "firmware") passes the boot device it chose from its boot
# order in edge.boot=usb|disk. From USB we run the installer that the stick
# carries; from disk we read the bootloader environment in COS_OEM, pick the
# slot (active, passive or recovery) and switch_root into the OS on it.
/bin/busybox mkdir -p /proc /sys /dev /run /tmp /mnt
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
. /lib/edge/lib.sh

device=$(cmdline_arg edge.boot disk)
emit firmware.boot device=$device
load_modules virtio
load_modules blk
load_modules ext4

if [ "$device" = usb ]; then
  load_modules late
  watch_power_button "poweroff -f"
  load_modules usb
  if ! wait_for /dev/sda 50; then
    echo "Edge Lab firmware: the USB stick did not appear; no bootable device."
    emit firmware.no-bootable-device
    halt_forever
  fi
  mkdir -p /mnt/usb
  if ! mount -t vfat -o ro /dev/sda /mnt/usb 2>/dev/null || [ ! -f /mnt/usb/EDGE-INSTALLER ]; then
    echo "Edge Lab firmware: the USB stick is not bootable (no Edge Installer on it)."
    emit firmware.no-bootable-device reason=usb-not-bootable
    halt_forever
  fi
  exec /bin/busybox sh /mnt/usb/installer/install.sh
fi

load_modules net
emit boot.modules-loaded
wait_for /dev/vda 30
oem=$(findfs LABEL=COS_OEM 2>/dev/null)
if [ -z "$oem" ]; then
  echo "Edge Lab firmware: no operating system found on the disk. Insert the Edge Installer USB stick and power on."
  emit firmware.no-bootable-device reason=disk-empty
  halt_forever
fi
mkdir -p /mnt/oem
mount -t ext4 "$oem" /mnt/oem
entry=active
[ -f /mnt/oem/grubenv ] && . /mnt/oem/grubenv
[ -n "$next_entry" ] && entry=$next_entry
[ -z "$next_entry" ] && [ -n "$saved_entry" ] && entry=$saved_entry
# next_entry is one-shot, exactly like grub's.
if [ -n "$next_entry" ]; then sed -i '/^next_entry=/d' /mnt/oem/grubenv; fi
umount /mnt/oem
case "$entry" in
  passive) label=COS_PASSIVE ;;
  recovery) label=COS_RECOVERY ;;
  *) entry=active; label=COS_ACTIVE ;;
esac
root=$(findfs LABEL=$label 2>/dev/null)
mkdir -p /newroot
if [ -z "$root" ] || ! mount -t ext4 "$root" /newroot; then
  echo "Edge Lab firmware: boot entry '$entry' ($label) cannot be mounted."
  emit firmware.no-bootable-device reason=slot-missing slot=$entry
  halt_forever
fi
emit boot.slot slot=$entry
mount --move /dev /newroot/dev 2>/dev/null
umount /proc /sys 2>/dev/null
exec switch_root /newroot /sbin/init

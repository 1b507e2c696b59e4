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
mkdir -p /mnt/oem
if ! mount -t ext4 LABEL=COS_OEM /mnt/oem 2>/dev/null; then
  echo "Edge Lab firmware: no operating system found on the disk. Insert the Edge Installer USB stick and power on."
  emit firmware.no-bootable-device reason=disk-empty
  halt_forever
fi
trace oem-mounted
entry=active
[ -f /mnt/oem/grubenv ] && . /mnt/oem/grubenv
[ -n "$next_entry" ] && entry=$next_entry
[ -z "$next_entry" ] && [ -n "$saved_entry" ] && entry=$saved_entry
# next_entry is one-shot, exactly like grub's.
if [ -n "$next_entry" ]; then sed -i '/^next_entry=/d' /mnt/oem/grubenv; fi
# A rolling upgrade's trial (stylus-upgrade; the names are the lab's own): while upgrade_tries
# lasts, boot upgrade_entry, the slot holding the new version, one try less each time. The new
# OS makes itself the saved entry once its node is Ready (upgrade-boot.sh). With no try left,
# boot saved_entry, the previous slot, and leave upgrade_failed for the agent to report.
# A one-shot next_entry (a reset) comes first.
if [ -z "$next_entry" ] && [ -n "$upgrade_entry" ]; then
  if [ "${upgrade_tries:-0}" -gt 0 ]; then
    left=$((upgrade_tries - 1))
    { grep -v '^upgrade_tries=' /mnt/oem/grubenv; echo "upgrade_tries=$left"; } > /mnt/oem/grubenv.tmp && mv /mnt/oem/grubenv.tmp /mnt/oem/grubenv
    entry=$upgrade_entry
    echo "Edge Lab: trial boot of the upgrade in the $entry slot ($left more tries after this one)"
    emit boot.upgrade-try slot=$entry tries_left=$left
  else
    { grep -v -e '^upgrade_entry=' -e '^upgrade_tries=' /mnt/oem/grubenv; echo "upgrade_failed=$upgrade_entry"; } > /mnt/oem/grubenv.tmp && mv /mnt/oem/grubenv.tmp /mnt/oem/grubenv
    echo "Edge Lab: the upgrade in the $upgrade_entry slot did not come up in its boot tries; booting the previous slot ($entry)"
    emit boot.upgrade-fallback slot=$entry failed=$upgrade_entry
  fi
  sync
fi
trace grubenv
# statereset (set with grub2-editenv, as on the product's terminal, or by the agent when Palette
# deletes the host's cluster): the host goes back to its state after installation. The active
# slot gets the installed OS again from COS_RECOVERY, COS_PERSISTENT (workloads, cluster state,
# etcd) is emptied and the cluster assignment removed; COS_OEM's user data and the host's
# registration are kept. Then the host boots the active slot.
# wipe DIR: everything in DIR but lost+found, dangling symlinks too (an OS's /linuxrc points to /bin/busybox).
wipe() { for e in "$1"/* "$1"/.[!.]*; do { [ -e "$e" ] || [ -L "$e" ]; } && [ "$e" != "$1/lost+found" ] && rm -rf "$e"; done; }
if [ "$entry" = statereset ]; then
  emit reset.started
  echo "Edge Lab: resetting this host (statereset): the installed OS back into the active slot, persistent data wiped; user data and registration kept"
  cluster=; [ -f /mnt/oem/cluster.env ] && cluster=$(sed -n "s/^CLUSTER='\(.*\)'$/\1/p" /mnt/oem/cluster.env)
  mkdir -p /mnt/recovery /mnt/slot /mnt/persistent
  if mount -t ext4 -o ro LABEL=COS_RECOVERY /mnt/recovery 2>/dev/null && mount -t ext4 LABEL=COS_ACTIVE /mnt/slot 2>/dev/null; then
    wipe /mnt/slot
    cp -a /mnt/recovery/. /mnt/slot/ 2>/tmp/reset-cp.err || echo "Edge Lab: copying the installed OS into the active slot said: $(head -n 3 /tmp/reset-cp.err)"
    if [ -x /mnt/slot/sbin/init ]; then echo active > /mnt/slot/etc/edge-slot; else echo "Edge Lab: the active slot holds no OS after the reset"; fi
    umount /mnt/slot; umount /mnt/recovery
  else
    echo "Edge Lab: the recovery or active slot cannot be mounted; the reset leaves the slots as they are"
  fi
  if mount -t ext4 LABEL=COS_PERSISTENT /mnt/persistent 2>/dev/null; then
    wipe /mnt/persistent
    umount /mnt/persistent
  fi
  rm -f /mnt/oem/cluster.env /mnt/oem/upgrade.env /mnt/oem/upgrade-failed.env
  [ -n "$cluster" ] && echo "$cluster" > /mnt/oem/reset-done
  { grep -v -e '^saved_entry=' -e '^upgrade_' /mnt/oem/grubenv 2>/dev/null; echo saved_entry=active; } > /mnt/oem/grubenv.tmp && mv /mnt/oem/grubenv.tmp /mnt/oem/grubenv
  sync
  emit reset.complete cluster=${cluster:-none}
  entry=active
fi
case "$entry" in
  passive) label=COS_PASSIVE ;;
  recovery) label=COS_RECOVERY ;;
  *) entry=active; label=COS_ACTIVE ;;
esac
mkdir -p /newroot
if ! mount -t ext4 LABEL=$label /newroot 2>/dev/null; then
  echo "Edge Lab firmware: boot entry '$entry' ($label) cannot be mounted."
  emit firmware.no-bootable-device reason=slot-missing slot=$entry
  halt_forever
fi
# COS_OEM stays mounted and moves into the OS (one mount less on the boot path).
mount --move /mnt/oem /newroot/oem
trace root-mounted
emit boot.slot slot=$entry
# Hand the mounted /dev, /proc and /sys over and chroot instead of switch_root:
# switch_root first deletes every file of the initramfs, which costs a few
# hundred ms under TCG; the few MiB it would free do not matter here.
mount --move /dev /newroot/dev
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
cd /newroot && mount --move . / && exec chroot . /sbin/init

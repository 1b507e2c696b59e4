# Shared helpers for every guest script (sourced, busybox ash).
# Every process spawned under TCG costs ~10-20 ms, so these use shell builtins
# wherever they can: they sit on the boot's critical path.

# Contract: `emit TYPE key=value…` prints one machine-readable progress line
# that simulator/pure/console-events.ts parses; values must not contain spaces.
# Every line ends with t=<guest uptime in seconds>.
emit() { read -r up _ < /proc/uptime; echo "EDGE-EVENT $* t=$up"; }

read -r EDGE_CMDLINE < /proc/cmdline 2>/dev/null

# cmdline_arg NAME DEFAULT: value of NAME=… on the kernel command line.
cmdline_arg() {
  for kv in $EDGE_CMDLINE; do
    case "$kv" in "$1="*) echo "${kv#*=}"; return 0 ;; esac
  done
  echo "$2"
}

# trace LABEL: a timing point, printed only when the kernel command line has
# edge.trace=1 (for profiling boots; see bench/).
case " $EDGE_CMDLINE " in *" edge.trace=1 "*) EDGE_TRACE=1 ;; esac
trace() { [ -n "$EDGE_TRACE" ] && emit trace at=$1; return 0; }

# load_modules GROUP: insmod every module of a group in dependency order.
# The list files are written at image build time from each .ko's depends=.
load_modules() {
  [ -f "/lib/modules/$1.list" ] || return 0
  while read -r ko params; do
    [ -n "$ko" ] && insmod "/lib/modules/$ko" $params 2>/dev/null
  done < "/lib/modules/$1.list"
  trace modules-$1
  return 0
}

# wait_for PATH TENTHS: poll until PATH exists, up to TENTHS × 0.1 s.
wait_for() {
  i=0
  while [ ! -e "$1" ] && [ "$i" -lt "$2" ]; do usleep 100000; i=$((i + 1)); done
  [ -e "$1" ]
}

# nap SECONDS: sleep without spawning a process (busybox's sleep is a fork and
# an exec): a read that times out on a FIFO nobody writes to. For loops that
# wake every second or two for as long as a host runs.
nap() {
  [ -p /run/edge-nap ] || mkfifo /run/edge-nap 2>/dev/null
  read -t "$1" _ <> /run/edge-nap
  return 0
}

# stop_etcd: a clean stop of this host's etcd member before a reboot or power-off, as a
# service manager does: the supervisor in stylus-cluster is told not to start it again
# (/run/edge-etcd-stopped), etcd gets SIGTERM (a leader hands its leadership to a peer
# first) and up to 15 s to exit. A member killed mid-write can leave a torn WAL record
# behind that etcd 3.4 refuses at its next start ("walpb: crc mismatch"): the roll in
# ha.vm.test.ts met that on a repave's `reboot -f`.
# etcd 3.4 first lets its client streams end, for up to its request timeout (9 s here), and
# only then stops raft: so the open watches (the API's, over wget) are ended first.
stop_etcd() {
  pidof etcd >/dev/null || return 0
  : > /run/edge-etcd-stopped
  for d in /proc/[0-9]*; do
    cmd=; read -r cmd < "$d/cmdline" 2>/dev/null
    case "$cmd" in wget*/v3/watch*) kill "${d#/proc/}" 2>/dev/null ;; esac
  done
  killall -TERM etcd 2>/dev/null
  i=0
  while pidof etcd >/dev/null && [ "$i" -lt 150 ]; do usleep 100000; i=$((i + 1)); done
  if pidof etcd >/dev/null; then echo "etcd did not stop within 15 s; killing it"; killall -KILL etcd 2>/dev/null
  else echo "etcd stopped in $((i / 10)).$((i % 10)) s"; fi
  return 0
}

# halt_forever: what firmware does when there is nothing left to run.
halt_forever() { while :; do sleep 3600; done; }

# watch_power_button CMD: run CMD when the ACPI power button is pressed
# (QMP system_powerdown). busybox has no acpid policy, so read one event.
# q35 has two devices named "Power Button" (fixed-feature and PNP0C0C);
# which one QEMU's button reaches is not stable in the event numbering, so
# watch them all.
watch_power_button() {
  for n in /sys/class/input/event*; do
    read -r name < "$n/device/name" 2>/dev/null
    if [ "$name" = "Power Button" ]; then
      # Open the device before announcing it: evdev drops events for readers
      # that have not opened it yet.
      ( exec 3<"/dev/input/${n##*/}"; emit power.watching; dd bs=24 count=1 <&3 >/dev/null 2>&1; emit power.button; $1 ) &
    fi
  done
}

# mask_to_prefix 255.255.255.0 → 24
mask_to_prefix() {
  n=0
  for o in ${1//./ }; do
    case $o in 255) n=$((n+8));; 254) n=$((n+7));; 252) n=$((n+6));; 248) n=$((n+5));; 240) n=$((n+4));; 224) n=$((n+3));; 192) n=$((n+2));; 128) n=$((n+1));; esac
  done
  echo $n
}

# apply_tui_settings: what the Palette TUI's initial setup chose (written by
# palette-tui to /oem/tui-settings.env): its user, host name, the LAN adapter
# (eth1) and DNS. Run by rcS at every boot and by palette-tui when it ends.
# The gateway is kept but not routed: the lab LAN has no router.
apply_tui_settings() {
  [ -f /oem/tui-settings.env ] || return 0
  . /oem/tui-settings.env
  if [ -n "${TUI_USER:-}" ] && ! grep -q "^$TUI_USER:" /etc/passwd; then
    echo "$TUI_USER:$TUI_PASSWD:1001:1001:$TUI_USER:/home/$TUI_USER:/bin/sh" >> /etc/passwd
    echo "$TUI_USER:x:1001:" >> /etc/group
    mkdir -p "/home/$TUI_USER"
  fi
  [ -n "${TUI_HOSTNAME:-}" ] && hostname "$TUI_HOSTNAME"
  if [ -e /sys/class/net/eth1 ]; then
    set -- $(ip -o -4 addr show dev eth1)
    if [ "${TUI_LAN_MODE:-}" = dhcp ]; then
      [ -n "$4" ] && ip addr del "$4" dev eth1
      rm -f /run/ip-eth1
    elif [ -n "${TUI_LAN_ADDR:-}" ] && [ "$4" != "$TUI_LAN_ADDR" ]; then
      [ -n "$4" ] && ip addr del "$4" dev eth1
      ip addr add "$TUI_LAN_ADDR" dev eth1 && ip link set eth1 up && echo "${TUI_LAN_ADDR%/*}" > /run/ip-eth1
    fi
  fi
  if [ -n "${TUI_DNS1:-}${TUI_DNS2:-}" ]; then
    {
      for d in ${TUI_DNS1:-} ${TUI_DNS2:-}; do echo "nameserver $d"; done
      [ -n "${TUI_SEARCH:-}" ] && echo "search $TUI_SEARCH"
    } > /etc/resolv.conf
  fi
  return 0
}

# check_fs LABEL: e2fsck's preen of an ext2 partition before it is mounted, as an ext2
# system does at boot. busybox's mke2fs makes no journal, so a power cut can leave a
# partition's bitmaps out of step with its files, and a file written later would be given
# blocks a live file still uses (images/fs-check.ts). Says nothing when all was well.
check_fs() {
  [ -x /sbin/e2fsck ] || return 0
  fsck_out=$(e2fsck -p "LABEL=$1" 2>&1); fsck_rc=$?
  if [ "$fsck_rc" -ge 4 ]; then fsck_out=$(e2fsck -y "LABEL=$1" 2>&1); fsck_rc=$?; fi
  # A reboot -f leaves it marked unclean too, so a full check after one is usual; what
  # e2fsck says beyond its summary line is what it found and fixed.
  case "$fsck_rc" in
    0) ;;
    1|2|3) echo "fsck: $1 was not cleanly unmounted (a reboot -f or a power cut); e2fsck checked it (exit $fsck_rc):"
           echo "$fsck_out" | grep -v -e '^e2fsck [0-9]' | tail -n 8 ;;
    *) echo "fsck: e2fsck could not repair $1 (exit $fsck_rc); mounting it as it is:"; echo "$fsck_out" | tail -n 8 ;;
  esac
  return 0
}

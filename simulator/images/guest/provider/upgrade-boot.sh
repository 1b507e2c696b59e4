# The provider OS's side of a rolling upgrade (sourced by stylus-cluster, after
# it read /oem/cluster.env and $slot). When /oem/upgrade.env names this boot's
# slot as the upgrade's target, this is a trial boot of the new version: its
# values (Kubernetes version, layers) replace the recorded ones, and
# upgrade_mark_good, called once the node is Ready, makes the slot the saved
# boot entry and reports `upgraded`. Until then the boot stage counts the tries
# (init.sh) and a trial that never gets there reboots after UPGRADE_TRIAL_S,
# which uses up a try, so a hung image ends in the fallback too.
UPGRADE_TRIAL_S=300
TRIAL=
if [ -f /oem/upgrade.env ] && ( . /oem/upgrade.env; [ "$TARGET" = "$slot" ] ); then
  . /oem/upgrade.env
  TRIAL=1
  SLOT=$TARGET
  echo "cluster: trial boot of version $VERSION from the $slot slot ($PREVIOUS is the fallback); Kubernetes $K8S_VERSION"
  emit upgrade.trial version=$VERSION slot=$slot
  (
    sleep "$UPGRADE_TRIAL_S"
    if [ -f /oem/upgrade.env ]; then
      echo "cluster: version $VERSION did not get its node Ready within $UPGRADE_TRIAL_S s; rebooting (one boot try used)"
      stop_etcd
      sync
      reboot -f
    fi
  ) &
fi

# upgrade_mark_good: the trial went well (node Ready; on a member, etcd healthy).
upgrade_mark_good() {
  [ -n "$TRIAL" ] || return 0
  i=0
  while [ -n "$etcd_node" ] && ! healthy "$etcd_url" && [ "$i" -lt 60 ]; do i=$((i + 1)); sleep 1; done
  { grep -v -e '^K8S_VERSION=' -e '^LAYERS=' -e '^IMAGE_SHA256=' -e '^SLOT=' -e '^PROFILE_VERSION=' /oem/cluster.env
    for kv in K8S_VERSION="$K8S_VERSION" LAYERS="$LAYERS" IMAGE_SHA256="$IMAGE_SHA256" SLOT="$slot" PROFILE_VERSION="$VERSION"; do
      echo "${kv%%=*}='${kv#*=}'"
    done
  } > /oem/cluster.env.tmp && mv /oem/cluster.env.tmp /oem/cluster.env
  grub2-editenv /oem/grubenv set saved_entry=$slot
  grub2-editenv /oem/grubenv unset upgrade_entry upgrade_tries
  rm -f /oem/upgrade.env
  sync
  TRIAL=
  echo "cluster: version $VERSION marked good: the $slot slot is the saved boot entry now"
  emit upgrade.good version=$VERSION slot=$slot
  report_upgrade upgraded "$slot"
}

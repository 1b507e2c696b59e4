# Talking to the Palette endpoint (sourced, busybox ash): shared by the agent,
# the provisioning script and the provider OS's cluster service.
# Protocol: simulator/palette-api.md. Callers set $endpoint (host[:port]) and,
# for reports, $host_id and $CLUSTER.

# j VALUE: JSON-escape VALUE into $J without spawning a process.
j() { J=${1//\\/\\\\}; J=${J//\"/\\\"}; }

# field JSON NAME: the string value of "NAME":"…" in a flat JSON reply.
field() { printf '%s' "$1" | sed -n "s/.*\"$2\":\"\\(\\([^\"\\\\]\\|\\\\.\\)*\\)\".*/\\1/p" | sed 's/\\"/"/g'; }

# The host key Palette issued with its latest `registered` answer
# (palette-api.md, "Host key"). In COS_OEM, so it outlives reboots and the
# switch to the provider OS, and is captured with the disk in a checkpoint.
# Read afresh for every request: the agent replaces it when it registers again.
HOST_KEY_FILE=/oem/host-key

# save_host_key KEY: keeps KEY (base64url) as the host key; an empty or
# malformed KEY removes the stored one. Non-zero when nothing was stored.
save_host_key() {
  case "$1" in
    ''|*[!A-Za-z0-9_-]*) rm -f "$HOST_KEY_FILE"; return 1 ;;
  esac
  ( umask 077; echo "$1" > "$HOST_KEY_FILE.tmp" ) && mv "$HOST_KEY_FILE.tmp" "$HOST_KEY_FILE" || return 1
  sync
}

# host_key: the stored key in $KEY ('' when there is none).
host_key() { KEY=; read -r KEY < "$HOST_KEY_FILE" 2>/dev/null; }

# post PATH BODY [SECONDS]: the response body on stdout; non-zero if the
# endpoint could not be reached within SECONDS (default 10). busybox wget -T
# crashes, hence timeout. wget's complaint goes to $WGET_ERR. Sends the host
# key, when there is one, as `Authorization: Bearer`.
WGET_ERR=/tmp/agent-wget.err
post() {
  host_key
  if [ -n "$KEY" ]; then
    timeout "${3:-10}" wget -q -O - --header 'Content-Type: application/json' \
      --header "Authorization: Bearer $KEY" --post-data "$2" "http://$endpoint$1" 2>"$WGET_ERR"
  else
    timeout "${3:-10}" wget -q -O - --header 'Content-Type: application/json' \
      --post-data "$2" "http://$endpoint$1" 2>"$WGET_ERR"
  fi
}

# wget_why: wget's reason for the last failure, for a console line.
wget_why() { why=$(sed -n 's/^wget: //p' "$WGET_ERR" 2>/dev/null | head -1); echo "${why:-no answer}"; }

# report STEP [REASON]: a provisioning report (POST …/provisioning). Tries five
# times, 1, 2, 4 and 8 s apart, and says on the console when it gave up or
# Palette refused it. Non-zero when the report did not get through. A
# `host-credential` refusal is tried again too: it comes when the agent has
# just registered again (at boot, or after its own refusal) and the new key is
# on its way to $HOST_KEY_FILE.
report() {
  j "$host_id"; rb="{\"hostId\":\"$J\""
  j "$CLUSTER"; rb="$rb,\"cluster\":\"$J\",\"step\":\"$1\""
  [ -n "$2" ] && rb="$rb,\"reason\":\"$2\""
  rb="$rb}"
  rn=0; rd=1
  while :; do
    if rr=$(post "/v1/edge/hosts/$host_id/provisioning" "$rb"); then
      case "$rr" in
        *'"code":"host-credential"'*) rwhy="Palette did not accept the host key: $(field "$rr" message)" ;;
        *'"status":"refused"'*)
          echo "provisioning: Palette refused the report '$1' ($(field "$rr" code)): $(field "$rr" message)"
          return 1 ;;
        *) return 0 ;;
      esac
    else
      rwhy=$(wget_why)
    fi
    rn=$((rn + 1))
    if [ "$rn" -ge 5 ]; then
      echo "provisioning: could not report '$1' to Palette at $endpoint ($rwhy); going on without it"
      return 1
    fi
    sleep "$rd"; rd=$((rd * 2))
  done
}

# report_upgrade RESULT SLOT [REASON]: a host's report on its turn in a rolling
# upgrade (POST …/upgrade) for $CLUSTER and $VERSION; tried as `report` is.
report_upgrade() {
  j "$host_id"; ub="{\"hostId\":\"$J\""
  j "$CLUSTER"; ub="$ub,\"cluster\":\"$J\",\"version\":\"$VERSION\",\"result\":\"$1\",\"slot\":\"$2\""
  j "${3:-}"; ub="$ub,\"reason\":\"$J\"}"
  un=0; ud=1
  while :; do
    if ur=$(post "/v1/edge/hosts/$host_id/upgrade" "$ub"); then
      case "$ur" in
        *'"status":"ok"'*) return 0 ;;
        *'"code":"host-credential"'*) uwhy="Palette did not accept the host key" ;;
        *) echo "upgrade: Palette refused the report '$1': $(field "$ur" message)"; return 1 ;;
      esac
    else
      uwhy=$(wget_why)
    fi
    un=$((un + 1))
    if [ "$un" -ge 5 ]; then
      echo "upgrade: could not report '$1' to Palette at $endpoint ($uwhy)"
      return 1
    fi
    sleep "$ud"; ud=$((ud * 2))
  done
}

# Talking to the Palette endpoint (sourced, busybox ash): shared by the agent,
# the provisioning script and the provider OS's cluster service.
# Protocol: simulator/palette-api.md. Callers set $endpoint (host[:port]) and,
# for reports, $host_id and $CLUSTER.

# j VALUE: JSON-escape VALUE into $J without spawning a process.
j() { J=${1//\\/\\\\}; J=${J//\"/\\\"}; }

# field JSON NAME: the string value of "NAME":"…" in a flat JSON reply.
field() { printf '%s' "$1" | sed -n "s/.*\"$2\":\"\\(\\([^\"\\\\]\\|\\\\.\\)*\\)\".*/\\1/p" | sed 's/\\"/"/g'; }

# post PATH BODY [SECONDS]: the response body on stdout; non-zero if the
# endpoint could not be reached within SECONDS (default 10). busybox wget -T
# crashes, hence timeout. wget's complaint goes to $WGET_ERR.
WGET_ERR=/tmp/agent-wget.err
post() {
  timeout "${3:-10}" wget -q -O - --header 'Content-Type: application/json' \
    --post-data "$2" "http://$endpoint$1" 2>"$WGET_ERR"
}

# wget_why: wget's reason for the last failure, for a console line.
wget_why() { why=$(sed -n 's/^wget: //p' "$WGET_ERR" 2>/dev/null | head -1); echo "${why:-no answer}"; }

# report STEP [REASON]: a provisioning report (POST …/provisioning). Tries five
# times, 1, 2, 4 and 8 s apart, and says on the console when it gave up or
# Palette refused it. Non-zero when the report did not get through.
report() {
  j "$host_id"; rb="{\"hostId\":\"$J\""
  j "$CLUSTER"; rb="$rb,\"cluster\":\"$J\",\"step\":\"$1\""
  [ -n "$2" ] && rb="$rb,\"reason\":\"$2\""
  rb="$rb}"
  rn=0; rd=1
  while :; do
    if rr=$(post "/v1/edge/hosts/$host_id/provisioning" "$rb"); then
      case "$rr" in
        *'"status":"refused"'*)
          echo "provisioning: Palette refused the report '$1' ($(field "$rr" code)): $(field "$rr" message)"
          return 1 ;;
      esac
      return 0
    fi
    rn=$((rn + 1))
    if [ "$rn" -ge 5 ]; then
      echo "provisioning: could not report '$1' to Palette at $endpoint ($(wget_why)); going on without it"
      return 1
    fi
    sleep "$rd"; rd=$((rd * 2))
  done
}

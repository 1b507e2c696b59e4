# Edge Lab's own read-only Kubernetes API, the part that renders nodes (not
# Kubernetes code: Debian ships no Kubernetes server). Input: one etcd v3
# range reply (JSON gateway) over the /registry/ prefix. It holds, per node,
#   /registry/minions/<node>                   the node record (flat JSON, written by the cluster service)
#   /registry/leases/kube-node-lease/<node>    present while the node keeps its 30 s etcd lease alive
# Output: the node list as a meta.k8s.io/v1 Table (what kubectl 1.20 asks for)
# in <root>/api/v1/nodes/index.html, and one Table per node in
# <root>/api/v1/nodes/<node>/index.html. Each document goes to <tmp>/<n> and
# only when it changed; stdout lists `<tmp file> <destination>` for the caller
# to move into place (atomic for the web server), then `next=<seconds>`: when
# the ages shown change next (2 s while the youngest node is under 2 minutes
# old, up to 60 s for old nodes). An input that is not an etcd reply prints
# `etcd-down` instead.
# Usage: awk -v root=DIR -v tmp=DIR [-v now=EPOCH] -f kube-api-nodes.awk

function b64dec(s,    out, i, c, d, v) {
  out = ""
  for (i = 1; i + 3 <= length(s); i += 4) {
    c = substr(s, i + 2, 1); d = substr(s, i + 3, 1)
    v = B64[substr(s, i, 1)] * 262144 + B64[substr(s, i + 1, 1)] * 4096 + (c == "=" ? 0 : B64[c] * 64) + (d == "=" ? 0 : B64[d])
    out = out sprintf("%c", int(v / 65536))
    if (c != "=") out = out sprintf("%c", int(v / 256) % 256)
    if (d != "=") out = out sprintf("%c", v % 256)
  }
  return out
}

# str(JSON, NAME): the string value of "NAME":"…" in a flat JSON object.
function str(json, name,    re) {
  re = "\"" name "\":\"[^\"]*\""
  if (!match(json, re)) return ""
  return substr(json, RSTART + length(name) + 4, RLENGTH - length(name) - 5)
}

function num(json, name,    re) {
  re = "\"" name "\":[0-9]+"
  if (!match(json, re)) return 0
  return substr(json, RSTART + length(name) + 3, RLENGTH - length(name) - 3) + 0
}

# Kubernetes' HumanDuration (apimachinery/pkg/util/duration), which kubectl shows as AGE.
function age(s,    m, h, d, y) {
  if (s < 0) return "0s"
  if (s < 120) return s "s"
  m = int(s / 60)
  if (m < 10) return (s % 60) ? m "m" (s % 60) "s" : m "m"
  if (m < 180) return m "m"
  h = int(s / 3600)
  if (h < 8) return (m % 60) ? h "h" (m % 60) "m" : h "h"
  if (h < 48) return h "h"
  if (h < 192) return (h % 24) ? int(h / 24) "d" (h % 24) "h" : int(h / 24) "d"
  if (h < 17520) return int(h / 24) "d"
  y = int(h / 8760); d = int(h / 24) % 365
  if (h < 70080 && d) return y "y" d "d"
  return y "y"
}

function table(rows, rv) {
  return "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"" rv "\"},\"columnDefinitions\":[" COLUMNS "],\"rows\":[" rows "]}"
}

# emit(DOC, DEST): writes DOC for DEST unless DEST already holds it.
function emit(doc, dest,    cur, line, f) {
  cur = ""
  while ((getline line < dest) > 0) cur = cur line
  close(dest)
  if (cur == doc) return
  f = tmp "/" (++files)
  print doc > f
  close(f)
  print f, dest
}

BEGIN {
  A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  for (i = 0; i < 64; i++) B64[substr(A, i + 1, 1)] = i
  if (now == "") { srand(); now = srand() }  # -v now=EPOCH pins the clock (tests)
  col = "\"type\":\"string\",\"format\":\"\""
  COLUMNS = "{\"name\":\"Name\",\"type\":\"string\",\"format\":\"name\",\"description\":\"Name of the node\",\"priority\":0}," \
    "{\"name\":\"Status\"," col ",\"description\":\"Ready while the node keeps its lease in etcd alive, else NotReady\",\"priority\":0}," \
    "{\"name\":\"Roles\"," col ",\"description\":\"The node's role in the cluster\",\"priority\":0}," \
    "{\"name\":\"Age\"," col ",\"description\":\"Time since the node first joined\",\"priority\":0}," \
    "{\"name\":\"Version\"," col ",\"description\":\"Kubernetes version of the cluster\",\"priority\":0}," \
    "{\"name\":\"Internal-IP\"," col ",\"description\":\"The node's address on the lab LAN\",\"priority\":1}," \
    "{\"name\":\"External-IP\"," col ",\"description\":\"\",\"priority\":1}," \
    "{\"name\":\"OS-Image\"," col ",\"description\":\"\",\"priority\":1}," \
    "{\"name\":\"Kernel-Version\"," col ",\"description\":\"\",\"priority\":1}," \
    "{\"name\":\"Container-Runtime\"," col ",\"description\":\"The lab runs no containers\",\"priority\":1}"
}

{ doc = doc $0 }

END {
  if (doc !~ /^\{"header":/) { print "etcd-down"; exit }
  rv = str(doc, "revision")
  n = split(doc, kv, /\{"key":"/)
  nodes = 0
  for (i = 2; i <= n; i++) {
    key = b64dec(substr(kv[i], 1, index(kv[i], "\"") - 1))
    val = b64dec(str(kv[i], "value"))
    if (key ~ /^\/registry\/minions\//) { name = substr(key, 19); order[++nodes] = name; rec[name] = val }
    else if (key ~ /^\/registry\/leases\/kube-node-lease\//) alive[substr(key, 34)] = 1
  }
  rows = ""
  for (i = 1; i <= nodes; i++) {
    name = order[i]; r = rec[name]
    created = num(r, "created")
    role = str(r, "role"); if (role == "worker" || role == "") role = "<none>"
    ip = str(r, "internalIP"); if (ip == "") ip = "<none>"
    row = "{\"cells\":[\"" name "\",\"" (name in alive ? "Ready" : "NotReady") "\",\"" role "\",\"" age(now - created) "\",\"" \
      str(r, "version") "\",\"" ip "\",\"<none>\",\"" str(r, "osImage") "\",\"" str(r, "kernel") "\",\"<none>\"]," \
      "\"object\":{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"name\":\"" name "\"," \
      "\"creationTimestamp\":\"" strftime("%Y-%m-%dT%H:%M:%SZ", created) "\"}}}"
    rows = rows (i > 1 ? "," : "") row
    emit(table(row, rv), root "/api/v1/nodes/" name "/index.html")
  }
  emit(table(rows, rv), root "/api/v1/nodes/index.html")
  # When the youngest node's AGE next shows a different value, roughly.
  young = -1
  for (i = 1; i <= nodes; i++) { a = now - num(rec[order[i]], "created"); if (young < 0 || a < young) young = a }
  print "next=" (young < 0 ? 60 : young < 120 ? 2 : young < 600 ? 5 : young < 10800 ? 30 : 60)
}

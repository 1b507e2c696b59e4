# The host's tags for registration: the user data's own tags (ENVIRON STATIC,
# `k=v,k2=v2`) followed by those read from stylus.site.tagsFromFile (the input
# file), printed as one `k=v,…` line. Run by the agent with busybox awk.
# ENVIRON: DELIM between key and value (default `=`); SEP between tags (empty:
# a line break). Keys and values are trimmed, and a value's surrounding double
# or single quotes are removed (so /etc/os-release reads as tags). Skipped, and
# named on stderr: an item without DELIM, an empty key, a key with `=`, `,` or
# whitespace,
# a value with `,` (Palette's tag list reserves them), and a key the user
# data's tags or an earlier line already set.
function trim(s) { sub(/^[ \t\r]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
function unquote(v) {
  if (length(v) >= 2 && (substr(v, 1, 1) == "\"" || substr(v, 1, 1) == "'") && substr(v, length(v), 1) == substr(v, 1, 1))
    return substr(v, 2, length(v) - 2)
  return v
}
function add(item,   j, k, v) {
  if (trim(item) == "") return
  j = index(item, delim)
  if (j == 0) { skipped = skipped " [no " delim "]" ; return }
  k = trim(substr(item, 1, j - 1)); v = unquote(trim(substr(item, j + length(delim))))
  if (k == "" || k ~ /[=, \t]/ || v ~ /,/) { skipped = skipped " " (k == "" ? "[empty key]" : k) ; return }
  if (k in seen) { skipped = skipped " " k "(again)" ; return }
  seen[k] = 1
  out = out (out == "" ? "" : ",") k "=" v
}
BEGIN {
  delim = ENVIRON["DELIM"]; if (delim == "") delim = "="
  sep = ENVIRON["SEP"]
  out = ENVIRON["STATIC"]
  n = split(out, pairs, ",")
  for (i = 1; i <= n; i++) { e = index(pairs[i], "="); if (e > 0) seen[substr(pairs[i], 1, e - 1)] = 1 }
}
{ text = text (NR > 1 ? "\n" : "") $0 }
END {
  if (sep == "") sep = "\n"
  rest = text
  while (rest != "") {
    i = index(rest, sep)
    if (i == 0) { add(rest); break }
    add(substr(rest, 1, i - 1))
    rest = substr(rest, i + length(sep))
  }
  if (skipped != "") print "skipped:" skipped > "/dev/stderr"
  print out
}

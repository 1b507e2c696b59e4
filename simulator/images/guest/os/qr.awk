# QR code (ISO/IEC 18004) of the text in -v TEXT=…, drawn for a serial console.
# Used by the agent for stylus.site.registrationURL. Runs under busybox awk.
#
# Contract: byte mode, error correction level M, the smallest version 1–10 that
# holds TEXT (at most 213 bytes; longer text prints a line saying so to stderr
# and exits 2). One fixed mask (pattern 0): a reader takes the mask from the
# format bits, so any mask reads; the spec's mask choice only avoids patterns
# that some readers find hard, and the penalty scoring is left out to stay small.
# Output: light modules as full blocks and dark ones as spaces, two module rows
# per text line with half blocks, so a light-on-dark terminal shows dark modules
# on a light ground, with a 2-module quiet zone. -v ASCII=1 prints one row per
# line with "##" for light and "  " for dark instead.
# simulator/images/qr.test.ts decodes the output with a QR reader.

BEGIN {
  for (i = 1; i < 256; i++) ORD[sprintf("%c", i)] = i
  # GF(256) over x^8+x^4+x^3+x^2+1: exponent and log tables.
  x = 1
  for (i = 0; i < 255; i++) { EXP[i] = x; LOG[x] = i; x = x * 2; if (x >= 256) x = xor(x, 285) }
  # Level M, versions 1-10: total codewords, EC codewords per block, blocks.
  split("26 44 70 100 134 172 196 242 292 346", TOTAL, " ")
  split("10 16 26 18 24 16 18 22 22 26", ECLEN, " ")
  split("1 1 1 2 2 4 4 4 5 5", BLOCKS, " ")
  ALIGN[2] = "6 18"; ALIGN[3] = "6 22"; ALIGN[4] = "6 26"; ALIGN[5] = "6 30"; ALIGN[6] = "6 34"
  ALIGN[7] = "6 22 38"; ALIGN[8] = "6 24 42"; ALIGN[9] = "6 26 46"; ALIGN[10] = "6 28 50"

  n = length(TEXT)
  if (n == 0) { print "qr: no text to encode" > "/dev/stderr"; exit 2 }
  ver = 0
  for (v = 1; v <= 10; v++) {
    cap = TOTAL[v] - ECLEN[v] * BLOCKS[v]
    if (4 + (v < 10 ? 8 : 16) + 8 * n <= 8 * cap) { ver = v; break }
  }
  if (!ver) { print "qr: " n " bytes is more than a version-10 code holds (213)" > "/dev/stderr"; exit 2 }
  encode()
  place()
  draw()
}

function gmul(a, b) { return (a == 0 || b == 0) ? 0 : EXP[(LOG[a] + LOG[b]) % 255] }

# Appends the low `len` bits of `val` to BITS.
function put(val, len,   i) { for (i = len - 1; i >= 0; i--) BITS[NB++] = and(rshift(val, i), 1) }

# DATA[0..ND-1]: the final interleaved codewords (data, then error correction).
function encode(   cap, i, b, k, ec, nb, short, slen, gen, g, root, j, f, rem, pos, d, total) {
  cap = TOTAL[ver] - ECLEN[ver] * BLOCKS[ver]
  NB = 0
  put(4, 4); put(n, ver < 10 ? 8 : 16)
  for (i = 1; i <= n; i++) put(ORD[substr(TEXT, i, 1)] + 0, 8)
  for (i = 0; i < 4 && NB < 8 * cap; i++) BITS[NB++] = 0
  while (NB % 8) BITS[NB++] = 0
  for (i = 0; i < NB / 8; i++) { b = 0; for (k = 0; k < 8; k++) b = b * 2 + BITS[i * 8 + k]; CW[i] = b }
  for (k = 0; i < cap; i++) CW[i] = (k++ % 2) ? 17 : 236

  ec = ECLEN[ver]; nb = BLOCKS[ver]
  short = nb - cap % nb; slen = int(cap / nb)
  # Generator polynomial of degree ec (leading 1 left out), highest power first.
  for (j = 0; j < ec; j++) gen[j] = 0
  gen[ec - 1] = 1; root = 1
  for (i = 0; i < ec; i++) {
    for (j = 0; j < ec; j++) { gen[j] = gmul(gen[j], root); if (j + 1 < ec) gen[j] = xor(gen[j], gen[j + 1]) }
    root = gmul(root, 2)
  }
  pos = 0
  for (b = 0; b < nb; b++) {
    LEN[b] = slen + (b >= short ? 1 : 0)
    for (j = 0; j < ec; j++) rem[j] = 0
    for (i = 0; i < LEN[b]; i++) {
      d = CW[pos + i]; BLK[b, i] = d
      f = xor(d, rem[0])
      for (j = 0; j < ec - 1; j++) rem[j] = xor(rem[j + 1], gmul(gen[j], f))
      rem[ec - 1] = gmul(gen[ec - 1], f)
    }
    for (j = 0; j < ec; j++) ECC[b, j] = rem[j]
    pos += LEN[b]
  }
  ND = 0
  for (i = 0; i <= slen; i++) for (b = 0; b < nb; b++) if (i < LEN[b]) DATA[ND++] = BLK[b, i]
  for (j = 0; j < ec; j++) for (b = 0; b < nb; b++) DATA[ND++] = ECC[b, j]
}

# M[y, x] is 1 for dark; F[y, x] marks function modules.
function setf(x, y, dark) { M[y, x] = dark; F[y, x] = 1 }

function finder(cx, cy,   dx, dy, d, x, y) {
  for (dy = -4; dy <= 4; dy++) for (dx = -4; dx <= 4; dx++) {
    x = cx + dx; y = cy + dy
    if (x < 0 || y < 0 || x >= S || y >= S) continue
    d = dx < 0 ? -dx : dx; if ((dy < 0 ? -dy : dy) > d) d = dy < 0 ? -dy : dy
    setf(x, y, (d != 2 && d != 4) ? 1 : 0)
  }
}

function place(   i, x, y, p, np, a, b, dx, dy, d, fmt, rem, bits, right, vert, j, up, k, v) {
  S = ver * 4 + 17
  for (y = 0; y < S; y++) for (x = 0; x < S; x++) { M[y, x] = 0; F[y, x] = 0 }
  for (i = 0; i < S; i++) { setf(6, i, i % 2 == 0); setf(i, 6, i % 2 == 0) }
  finder(3, 3); finder(S - 4, 3); finder(3, S - 4)
  if (ver >= 2) {
    np = split(ALIGN[ver], p, " ")
    for (a = 1; a <= np; a++) for (b = 1; b <= np; b++) {
      if ((a == 1 && b == 1) || (a == 1 && b == np) || (a == np && b == 1)) continue
      for (dy = -2; dy <= 2; dy++) for (dx = -2; dx <= 2; dx++) {
        d = dx < 0 ? -dx : dx; if ((dy < 0 ? -dy : dy) > d) d = dy < 0 ? -dy : dy
        setf(p[a] + dx, p[b] + dy, d != 1)
      }
    }
  }
  # Format bits: level M (00) and mask 0, BCH(15,5), XOR 0x5412.
  fmt = 0; rem = fmt
  for (i = 0; i < 10; i++) rem = xor(lshift(rem, 1), rshift(rem, 9) * 1335)
  bits = xor(or(lshift(fmt, 10), rem), 21522)
  for (i = 0; i <= 5; i++) setf(8, i, and(rshift(bits, i), 1))
  setf(8, 7, and(rshift(bits, 6), 1)); setf(8, 8, and(rshift(bits, 7), 1)); setf(7, 8, and(rshift(bits, 8), 1))
  for (i = 9; i < 15; i++) setf(14 - i, 8, and(rshift(bits, i), 1))
  for (i = 0; i < 8; i++) setf(S - 1 - i, 8, and(rshift(bits, i), 1))
  for (i = 8; i < 15; i++) setf(8, S - 15 + i, and(rshift(bits, i), 1))
  setf(8, S - 8, 1)
  if (ver >= 7) {
    rem = ver
    for (i = 0; i < 12; i++) rem = xor(lshift(rem, 1), rshift(rem, 11) * 7973)
    bits = or(lshift(ver, 12), rem)
    for (i = 0; i < 18; i++) {
      v = and(rshift(bits, i), 1); a = S - 11 + i % 3; b = int(i / 3)
      setf(a, b, v); setf(b, a, v)
    }
  }
  # Codewords in the zigzag, two columns at a time from the right, skipping the timing column.
  k = 0
  for (right = S - 1; right >= 1; right -= 2) {
    if (right == 6) right = 5
    for (vert = 0; vert < S; vert++) for (j = 0; j < 2; j++) {
      x = right - j
      up = and(right + 1, 2) == 0
      y = up ? S - 1 - vert : vert
      if (!F[y, x] && k < ND * 8) { M[y, x] = and(rshift(DATA[int(k / 8)], 7 - k % 8), 1); k++ }
    }
  }
  for (y = 0; y < S; y++) for (x = 0; x < S; x++) if (!F[y, x] && (x + y) % 2 == 0) M[y, x] = 1 - M[y, x]
}

# Dark outside the code is the quiet zone, which is light.
function dark(x, y) { return (x < 0 || y < 0 || x >= S || y >= S) ? 0 : M[y, x] }

function draw(   q, x, y, line, t, b) {
  q = 2
  if (ASCII) {
    for (y = -q; y < S + q; y++) {
      line = "  "
      for (x = -q; x < S + q; x++) line = line (dark(x, y) ? "  " : "##")
      print line
    }
    return
  }
  for (y = -q; y < S + q; y += 2) {
    line = "  "
    for (x = -q; x < S + q; x++) {
      t = dark(x, y); b = (y + 1 < S + q) ? dark(x, y + 1) : 1
      line = line (t ? (b ? " " : "▄") : (b ? "▀" : "█"))
    }
    print line
  }
}

#!/bin/sh
# Installs what Edge Lab needs and is missing: Debian packages, then the npm dependencies.
# Idempotent; when everything is present it only checks (well under a second) and calls
# neither apt nor npm. Guest images are not built here: the CLI builds and caches them.
set -eu

cd "$(dirname "$0")/../.."

say() { echo "[setup] $*"; }
fail() { echo "[setup] $*" >&2; exit 1; }

# --- Node.js ---------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || fail "Node.js is not installed. Install Node.js 20 LTS (or newer) with npm, then run this again."
node_version=$(node -p 'process.versions.node')
node_major=${node_version%%.*}
if [ "$node_major" -lt 20 ]; then
  fail "Node.js $node_version is too old; Edge Lab needs Node.js 20 or newer. Install Node.js 20 LTS (Debian 12's own nodejs package is 18), then run this again."
fi

# --- Debian packages -------------------------------------------------------------------
# QEMU and image tools for the virtual edge hosts; chromium for the browser tests; caddy for the
# test of the room's Caddyfile (simulator/server/room/caddy-proxy.test.ts).
PACKAGES="qemu-system-x86 qemu-utils busybox-static cpio e2fsprogs dosfstools mtools kmod xz-utils fdisk util-linux chromium caddy"

if command -v dpkg-query >/dev/null 2>&1; then
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' $PACKAGES 2>/dev/null | awk '$NF == "installed" { print $1 }' || true)
  missing=""
  for p in $PACKAGES; do
    case " $(echo $installed) " in
      *" $p "*) ;;
      *) missing="$missing $p" ;;
    esac
  done
  missing=${missing# }

  if [ -n "$missing" ]; then
    install_cmd="apt-get install -y --no-install-recommends $missing"
    if [ "$(id -u)" -ne 0 ]; then
      echo "[setup] missing Debian packages: $missing" >&2
      echo "[setup] install them as root, then run this again:" >&2
      echo "  sudo $install_cmd" >&2
      exit 1
    fi
    say "installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    # Refresh the package lists only when there are none, or when the install fails with them.
    if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
      say "apt-get update (no package lists yet)"
      apt-get update || fail "apt-get update failed; see the messages above"
    fi
    if ! $install_cmd; then
      say "apt-get update, then trying again"
      apt-get update || fail "apt-get update failed; see the messages above"
      $install_cmd || fail "could not install: $missing (see the messages above)"
    fi
    # Debian's caddy package starts a web server on port 80 of every interface; Edge Lab runs its
    # own Caddy only when a trainer asks for it, so the one installed here is stopped and disabled.
    case " $missing " in
      *" caddy "*)
        if [ -d /run/systemd/system ]; then
          say "stopping the caddy service Debian started (Edge Lab runs Caddy itself, only for a room)"
          systemctl disable --now caddy || say "could not stop the caddy service; stop it with: systemctl disable --now caddy"
        fi ;;
    esac
  fi
else
  say "dpkg-query not found (not Debian?); make sure these are installed: $PACKAGES"
fi

# --- npm dependencies ------------------------------------------------------------------
# The stamp holds the sha256 of the package-lock.json that node_modules was installed from.
stamp=node_modules/.edge-lab-installed
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund || fail "npm ci failed; see the messages above"
  echo "$lock_sum" > "$stamp"
fi

say "ready: Node.js $node_version, Debian packages and npm dependencies present"

#!/bin/sh
# The `edge-lab` command (package.json "bin"): runs the CLI with the repository's own tsx.
# The working directory is left alone, so relative paths in the arguments mean what they say;
# the CLI finds the repository root by itself.
set -eu
self=$(readlink -f "$0")
root=$(cd "$(dirname "$self")/../.." && pwd)
if [ ! -x "$root/node_modules/.bin/tsx" ]; then
  echo "edge-lab: dependencies are not installed; run: sh $root/simulator/setup/bootstrap.sh" >&2
  exit 1
fi
exec "$root/node_modules/.bin/tsx" "$root/simulator/cli/main.ts" "$@"

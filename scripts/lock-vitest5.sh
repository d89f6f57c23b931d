#!/usr/bin/env bash
# Write scripts/vitest5/package-lock.json again: the repository's package.json
# with the pins of scripts/vitest5/pin.mjs, resolved by Node 22's npm. Run it
# after changing a dependency in package.json (the Vitest 5 leg's `npm ci`
# fails, naming this script, until then).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$root/package.json" "$root/package-lock.json" "$scratch/"
node "$root/scripts/vitest5/pin.mjs" "$scratch/package.json"
cd "$scratch"
npx -y -p node@22.23.3 -c 'npm install --package-lock-only --no-audit --no-fund --ignore-scripts >/dev/null'
cp package-lock.json "$root/scripts/vitest5/package-lock.json"
echo "wrote scripts/vitest5/package-lock.json"

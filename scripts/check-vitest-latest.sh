#!/usr/bin/env bash
# Not part of CI: try the newest Vitest 5.x (and its newest dependencies) on
# the unit project, to see a new release coming before it is pinned. Reports
# the version tried and the drift from the pin; exits 1 when the unit project
# fails on it. Usage: bash scripts/check-vitest-latest.sh [version-range]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
range="${1:-^5}"
latest="$(npm view "vitest@$range" version | tail -n 1 | sed -E "s/.*'(.*)'.*/\1/; s/^vitest@//")"
pinned="$(grep -oE "vitest: '[^']+'" "$root/scripts/vitest5/pin.mjs" | cut -d"'" -f2)"
echo "pinned vitest $pinned; newest matching $range: $latest"
[ "$latest" = "$pinned" ] && echo "no drift" || echo "drift: $pinned -> $latest"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./eval/out -cf - . | tar -C "$scratch" -xf -
cd "$scratch"
# No lock: the newest versions the ranges allow, as a user installing today gets.
rm -f package-lock.json
node scripts/vitest5/pin.mjs package.json "vitest=$latest" "@types/node=^22"
npx -y -p node@22 -c '
  set -e
  npm install --no-audit --no-fund >/dev/null
  echo "node $(node --version), $(./node_modules/.bin/vitest --version)"
  ./node_modules/.bin/tsc --noEmit -p tsconfig.json
  ./node_modules/.bin/vitest run --project unit --project e2e --project reliability --project consumer
'

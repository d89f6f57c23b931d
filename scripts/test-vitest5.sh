#!/usr/bin/env bash
# Run the unit project on Vitest 5 + Node 22 (from the npm registry), in a
# scratch copy so the main node_modules (Vitest 4) is untouched.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./eval/out -cf - . | tar -C "$scratch" -xf -
cd "$scratch"
npx -y -p node@22 -c '
  set -e
  echo "node $(node --version)"
  npm ci --no-audit --no-fund >/dev/null
  npm install --no-save --no-audit --no-fund vitest@^5.1.1 @types/node@^22 >/dev/null
  ./node_modules/.bin/vitest --version
  echo "typecheck against Vitest 5 (matchers, task meta, plugin)"
  ./node_modules/.bin/tsc --noEmit -p tsconfig.json
  ./node_modules/.bin/vitest run --project unit
'

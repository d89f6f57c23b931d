#!/usr/bin/env bash
# The Vitest 5 leg of CI: typecheck and the unit, e2e and reliability projects on Vitest 5 + Node 22
# (Node from the npm registry), in a scratch copy so the main node_modules
# (Vitest 4) is untouched. Every version is locked: package.json gets the pins
# of scripts/vitest5/pin.mjs and the install is `npm ci` from
# scripts/vitest5/package-lock.json, so a new upstream release changes nothing
# here (scripts/check-vitest-latest.sh is where newer releases are tried).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./eval/out -cf - . | tar -C "$scratch" -xf -
cd "$scratch"
node scripts/vitest5/pin.mjs package.json
cp scripts/vitest5/package-lock.json package-lock.json
npx -y -p node@22.23.3 -c '
  set -e
  echo "node $(node --version)"
  if ! npm ci --no-audit --no-fund >npm-ci.log 2>&1; then
    cat npm-ci.log
    echo "scripts/vitest5/package-lock.json does not match package.json: run bash scripts/lock-vitest5.sh and commit the lock" >&2
    exit 1
  fi
  ./node_modules/.bin/vitest --version
  echo "typecheck against Vitest 5 (matchers, task meta, plugin)"
  ./node_modules/.bin/tsc --noEmit -p tsconfig.json
  # The consumer suite installs Vitest 4 and 5 itself, so it runs once, in npm test.
  ./node_modules/.bin/vitest run --project unit --project e2e --project reliability
'

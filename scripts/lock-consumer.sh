#!/usr/bin/env bash
# Write the consumer suite's locks again (test/consumer/locks/vitest{4,5}/):
# a user's repository with the packed vitest-qualify and an exact Vitest,
# resolved once, so the suite installs the same versions on every run. Run it
# after a dependency of the package changes (the suite says so when the lock
# no longer matches the tarball).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$root" && npm pack --silent --pack-destination "$scratch" >/dev/null)
for major in 4 5; do
  dir="$scratch/v$major"
  mkdir -p "$dir/vendor"
  cp "$scratch"/vitest-qualify-*.tgz "$dir/vendor/vitest-qualify.tgz"
  cp "$root/test/consumer/locks/vitest$major/package.json" "$dir/package.json"
  (cd "$dir" && npm install --package-lock-only --no-audit --no-fund --ignore-scripts --engine-strict=false >/dev/null)
  # The tarball is built afresh for every run: its checksum is not part of the lock.
  node -e '
    const fs = require("node:fs");
    const file = process.argv[1];
    const lock = JSON.parse(fs.readFileSync(file, "utf8"));
    delete lock.packages["node_modules/vitest-qualify"].integrity;
    fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
  ' "$dir/package-lock.json"
  cp "$dir/package-lock.json" "$root/test/consumer/locks/vitest$major/package-lock.json"
  echo "wrote test/consumer/locks/vitest$major/package-lock.json"
done

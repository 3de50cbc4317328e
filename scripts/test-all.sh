#!/usr/bin/env bash
# The project's one test command (`npm test`, named in README.md and run by CI):
# static checks, build, unit tests, the real engines, integration tests,
# security tests, end-to-end tests. Installs and starts the engines itself (infra/up.sh).
# Ends with one line "tests: N passed, N failed" summed over the three tiers.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC
reports="test/artifacts/reports"
rm -rf "$reports" && mkdir -p "$reports"

step() { printf '\n=== %s ===\n' "$*"; }

summary() {
  node -e '
    const fs = require("fs"), dir = process.argv[1];
    let passed = 0, failed = 0;
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const r = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
      passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
    }
    console.log(`\ntests: ${passed} passed, ${failed} failed`);
  ' "$reports"
}
trap summary EXIT

jest_tier() { # tier name
  node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js \
    -c "jest.$1.config.js" --json --outputFile="$reports/$1.json" --ci
}

step "static checks: format, lint (type-aware), types"
npm run --silent check
step "build"
npm run --silent build
step "unit tests"
jest_tier unit
step "real engines: Kafka, InfluxDB, PostgreSQL, Mosquitto (installs what is missing)"
bash infra/up.sh
step "integration tests (real engines)"
jest_tier integration
step "security tests (each known attack replayed)"
jest_tier security
step "end-to-end tests (apps as processes)"
jest_tier e2e

# shellcheck shell=bash
# Debian's Chromium, the headless browser the dashboard's browser tests drive
# with playwright-core (test/e2e/dashboard.test.ts). Sourced by infra/lib/common.sh.
#
# Not a server: nothing to start or stop. It is an "engine" so that
# infra/install.sh installs it with the others (`npx playwright install`
# downloads browser builds, which this project does not rely on), and up.sh,
# run by `npm test`, installs it when missing.

chromium_bin() { command -v chromium 2>/dev/null || true; }

chromium_installed() { [ -n "$(chromium_bin)" ]; }

# Available = "running": up.sh then reports it as already up, down.sh has nothing to stop.
chromium_running() { chromium_installed; }

chromium_healthy() { chromium_installed; }

chromium_start() { chromium_installed || die "chromium: not installed; run: bash infra/install.sh chromium"; }

chromium_wait() { chromium_installed; }

chromium_stop() { :; }

chromium_pids() { :; }

chromium_endpoint() { echo "CHROMIUM_PATH=$(chromium_bin)"; }

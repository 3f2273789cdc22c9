#!/usr/bin/env bash
# CTest entry point of the browser test: the cashier page (examples/cashier, --sandbox) in
# Debian's headless Chromium, driven by playwright-core from npm.
#
#   tests/browser/run.sh CASHIER_BINARY
#
# Needs node, npm and /usr/bin/chromium (or $CHROMIUM): scripts/install-deps.sh installs them.
# playwright-core comes from package-lock.json (`npm ci`, on first use); it never downloads a
# browser.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cashier="${1:?usage: run.sh CASHIER_BINARY}"
chromium="${CHROMIUM:-/usr/bin/chromium}"

if [ ! -x "$chromium" ]; then
  echo "error: no Chromium at $chromium: run scripts/install-deps.sh (Debian package chromium)" >&2
  exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "error: node and npm are needed: run scripts/install-deps.sh (Debian packages nodejs, npm)" >&2
  exit 1
fi
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  # Several build folders may run their suites at once: one `npm ci` at a time.
  exec 9>"${TMPDIR:-/tmp}/wechatpay-browser-npm-ci.lock"
  flock 9
  if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  flock -u 9
fi
exec node "$here/cashier.test.js" "$cashier" "$chromium"

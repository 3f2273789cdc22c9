#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need, only when some are missing.
# Runs as root (CI, fresh machines) or through sudo when available.
set -euo pipefail

# What to install: "demo" (the main job: build the library, the sandbox and the CLI, run them),
# "bench" (the demo's set, and the ledger's SQLite, libpq and PostgreSQL server for the ledger
# rows), or "all" (the default: the test job, which also needs the test
# frameworks, the fuzzing toolchain, the browser and the documentation tools).
profile="${1:-all}"
case "$profile" in demo | bench | all) ;; *)
  echo "usage: scripts/install-deps.sh [demo|bench|all]" >&2
  exit 2
  ;;
esac

packages=(g++ cmake make pkg-config libssl-dev libcurl4-openssl-dev zlib1g-dev rapidjson-dev
          libcpp-httplib-dev libqrencode-dev libpng-dev
          libsqlite3-dev)  # the ledger (wechatpay::ledger), which the demo records in
if [ "$profile" != demo ]; then
  # The ledger's PostgreSQL store (libpq) and the server its tests and the benchmark's ledger
  # rows start (SQLite: above).
  packages+=(libpq-dev postgresql)
fi
if [ "$profile" = all ]; then
  packages+=(catch2 openssl doxygen python3 zbar-tools librsvg2-bin
             clang libclang-rt-14-dev llvm)  # fuzzing: clang + libFuzzer; llvm-symbolizer
  # Boost 1.74's headers (Beast, Asio): examples/beast_checkout and its test. Not the library's.
  packages+=(libboost-dev)
  # The browser test (tests/browser): Debian's Chromium, and Node.js with npm for
  # playwright-core. A node already on the machine (e.g. NodeSource's, which bundles npm) is
  # used as it is: Debian's nodejs and npm packages would conflict with it.
  packages+=(chromium)
  # A CJK font, so the cashier's Chinese texts render (and its screenshots show them) in a
  # headless Chromium on a server without a desktop: the smallest of the fonts the cashier's
  # font stack names (docs/checkout.md).
  packages+=(fonts-wqy-microhei)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep >/dev/null "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

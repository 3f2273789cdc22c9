#!/usr/bin/env bash
# The main job: install what is missing, build, then run the whole WeChat Pay Native flow offline
# in one process (`wechatpay demo`): an embedded sandbox, a callback receiver, an order and its QR
# code, a simulated scan-and-pay one second later, the callback verified and handled, and the
# PaymentWatcher's result. Exits 0 when the payment succeeded and its callback was handled.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh demo
# Only what the demo runs: the library, the sandbox, the ledger (SQLite; the demo records its
# order there) and the CLI (no tests, examples or docs), in a folder of its own so that it never
# flips the options of the test build.
build_dir="${BUILD_DIR:-build-demo}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DWECHATPAY_BUILD_TESTS=OFF \
  -DWECHATPAY_BUILD_EXAMPLES=OFF -DWECHATPAY_BUILD_SANDBOX=ON -DWECHATPAY_BUILD_TOOLS=ON \
  -DWECHATPAY_WITH_LEDGER=ON \
  >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target wechatpay_cli
exec "$build_dir/bin/wechatpay" demo --auto-pay-after 1

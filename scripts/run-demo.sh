#!/usr/bin/env bash
# The main job: install what is missing, build, then run the whole WeChat Pay Native flow offline
# in one process (`wechatpay demo`): an embedded sandbox, a callback receiver, an order and its QR
# code, a simulated scan-and-pay one second later, the callback verified and handled, and the
# PaymentWatcher's result. Exits 0 when the payment succeeded and its callback was handled.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir="${BUILD_DIR:-build}"
exec "$build_dir/bin/wechatpay" demo --auto-pay-after 1

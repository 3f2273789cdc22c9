#!/usr/bin/env bash
# The benchmark job: install what is missing, build wechatpay_bench (Release) into
# ${BUILD_DIR:-build-bench}, run it and print the table (docs/performance.md explains it).
# Arguments go to the benchmark: --json, --rounds N, --quick, --only LIST, --check.
# The ledger rows (ledger_sqlite, ledger_postgres) need wechatpay::ledger, built by default; the
# PostgreSQL row starts a local server itself (no network).
# Ratios are only meaningful on a quiet machine: take numbers when `uptime` shows a load
# below 1.0.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh bench
build_dir="${BUILD_DIR:-build-bench}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DWECHATPAY_BUILD_BENCH=ON \
  -DWECHATPAY_BUILD_SANDBOX=ON -DWECHATPAY_BUILD_TESTS=OFF -DWECHATPAY_BUILD_TOOLS=OFF \
  -DWECHATPAY_BUILD_EXAMPLES=OFF -DWECHATPAY_WITH_QR=OFF -DWECHATPAY_WARNINGS_AS_ERRORS=ON \
  >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target wechatpay_bench
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (ratios are meaningful below 1.0)" >&2
exec "$build_dir/bin/wechatpay_bench" "$@"

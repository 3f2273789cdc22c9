#!/usr/bin/env bash
# The test job: install what is missing, build everything with warnings as errors, run the suite,
# then the sanitizer builds and the fuzzers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir="${BUILD_DIR:-build}"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
# Hardening (README, "Hardening"): the suite again under AddressSanitizer + UndefinedBehavior-
# Sanitizer and under ThreadSanitizer, then every fuzz target for a short fixed time.
scripts/run-sanitizers.sh
scripts/run-fuzzers.sh "${FUZZ_SECONDS:-20}"

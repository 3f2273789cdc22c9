#!/usr/bin/env bash
# The main job: install what is missing, build, run the example that signs a request and verifies
# the official callback vector.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir="${BUILD_DIR:-build}"
"$build_dir/bin/sign_and_verify" tests/data

#!/usr/bin/env bash
# Builds the test suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan) and
# under ThreadSanitizer (build-tsan), runs it, and fails on any sanitizer report.
#
#   scripts/run-sanitizers.sh            # both
#   scripts/run-sanitizers.sh asan       # one of them
#
# Only what the suite runs is built (library, sandbox, CLI, tests, fuzz corpus replay): no
# examples, no install rules; the packaging, docs and browser tests are left out (they test
# files and a web page, not this code under a sanitizer, and the first rebuilds the library). -O1 -g keeps the run fast and the stacks readable;
# assertions stay on (no NDEBUG), so RapidJSON's own checks of how it is used run too.
#
# Reports are caught twice: halt_on_error makes the process fail (the test sees it), and every
# report is also written to <build>/sanitizer-logs/, which must stay empty. The second catches
# reports from child processes (the CLI, `wechatpay sandbox`) whose exit code a test does not
# look at, or looks at only as "non-zero".
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(asan tsan)

run() {
  local kind=$1 dir flags
  case "$kind" in
    asan)
      dir="${ASAN_BUILD_DIR:-build-asan}"
      flags="-fsanitize=address,undefined -fno-sanitize-recover=all"
      ;;
    tsan)
      dir="${TSAN_BUILD_DIR:-build-tsan}"
      flags="-fsanitize=thread"
      ;;
    *)
      echo "run-sanitizers.sh: unknown sanitizer '$kind' (asan or tsan)" >&2
      return 2
      ;;
  esac
  echo "== $kind: building in $dir"
  # Warnings stay errors, except -Wmaybe-uninitialized: the instrumentation defeats GCC's flow
  # analysis, which then reports false positives inside libstdc++ (<regex>, <functional>). The
  # normal build checks that warning.
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g" \
    -DCMAKE_CXX_FLAGS="$flags -fno-omit-frame-pointer -Wno-maybe-uninitialized" \
    -DWECHATPAY_BUILD_EXAMPLES=OFF -DWECHATPAY_BUILD_BENCH=OFF -DWECHATPAY_INSTALL=OFF \
    -DWECHATPAY_WARNINGS_AS_ERRORS=ON >/dev/null
  cmake --build "$dir" -j "$jobs"

  local logs
  logs="$(cd "$dir" && pwd)/sanitizer-logs"
  rm -rf "$logs"
  mkdir -p "$logs"
  local supp
  supp="$(pwd)/tests/sanitizers"
  echo "== $kind: running the suite"
  local status=0
  # exitcode 66: a sanitizer report is never mistaken for the CLI's own exit codes (0-5).
  ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:exitcode=66:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:log_path=$logs/asan" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=66:log_path=$logs/ubsan" \
    TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$supp/tsan.supp:log_path=$logs/tsan" \
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" -LE "packaging|docs|browser" || status=$?
  if [ -n "$(ls -A "$logs")" ]; then
    echo "== $kind: sanitizer reports:" >&2
    for f in "$logs"/*; do
      echo "--- $f" >&2
      cat "$f" >&2
    done
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    echo "== $kind: FAILED" >&2
    return 1
  fi
  echo "== $kind: clean"
}

# Both run even when the first fails: one CI run reports every sanitizer's findings.
failed=()
for kind in "${kinds[@]}"; do
  run "$kind" || failed+=("$kind")
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "== sanitizers: FAILED: ${failed[*]}" >&2
  exit 1
fi

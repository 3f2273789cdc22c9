#!/usr/bin/env bash
# Builds the test suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan) and
# under ThreadSanitizer (build-tsan), runs it, and fails on any sanitizer report.
#
#   scripts/run-sanitizers.sh            # both
#   scripts/run-sanitizers.sh asan       # one of them
#
# The builds are the CMake presets `asan` and `tsan` (CMakePresets.json): only what the suite runs
# (library, sandbox, CLI, tests, fuzz corpus replay), no examples, no install rules; Sanitize
# build type, -O1 -g keeps the run fast and the stacks readable; assertions stay on (no NDEBUG),
# so RapidJSON's own checks of how it is used run too. Warnings stay errors, except
# -Wmaybe-uninitialized: the instrumentation defeats GCC's flow analysis, which then reports false
# positives inside libstdc++ (<regex>, <functional>); the normal build checks that warning.
# The test presets run the labels unit, integration, ledger and fuzz-replay: the packaging, docs,
# demo and browser tests test files, a web page or a build of their own, not this code under a
# sanitizer.
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
  local kind=$1
  case "$kind" in
    asan | tsan) ;;
    *)
      echo "run-sanitizers.sh: unknown sanitizer '$kind' (asan or tsan)" >&2
      return 2
      ;;
  esac
  local dir="build-$kind"  # the preset's binaryDir
  echo "== $kind: building in $dir"
  cmake --preset "$kind" >/dev/null
  cmake --build --preset "$kind" -j "$jobs"

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
    ctest --preset "$kind" -j "$jobs" || status=$?
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

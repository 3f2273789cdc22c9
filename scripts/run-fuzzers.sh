#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (AddressSanitizer + UndefinedBehaviorSanitizer;
# the CMake preset `fuzz`, in build-fuzz) and runs each for a fixed time; fails on any crash, leak,
# sanitizer report, timeout or violated property.
#
#   scripts/run-fuzzers.sh                    # 20 s per target (what CI runs)
#   scripts/run-fuzzers.sh 600                # 10 minutes per target
#   scripts/run-fuzzers.sh 3600 json_models   # one target for an hour
#
# Each run starts from the committed seeds (fuzz/corpus/<target>) and regressions
# (fuzz/regressions/<target>) and keeps what it finds in build-fuzz/fuzz-corpus/<target>; the
# committed corpus is never modified. A failing input is written to
# build-fuzz/fuzz-artifacts/<target>/; after fixing the bug, copy it into
# fuzz/regressions/<target>/ so that every test run replays it (ctest -L fuzz-replay).
# Targets run $(nproc) at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
[ $# -gt 0 ] && shift
dir="build-fuzz"  # the preset's binaryDir
jobs="$(nproc)"

echo "== fuzz: building in $dir"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for binary in "$dir"/bin/fuzz_*; do
    targets+=("$(basename "$binary" | sed 's/^fuzz_//')")
  done
fi

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_one() {
  local target=$1
  local work="$dir/fuzz-corpus/$target" artifacts="$dir/fuzz-artifacts/$target"
  mkdir -p "$work" "$artifacts"
  local seeds=("fuzz/corpus/$target")
  [ -d "fuzz/regressions/$target" ] && seeds+=("fuzz/regressions/$target")
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: memory blow-ups are findings too.
  # -max_len: seeds are at most a few KB; without it the large regression inputs (replayed in
  # full by ctest) would make every mutation that large.
  "$dir/bin/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "${seeds[@]}" \
    >"$dir/fuzz-$target.log" 2>&1
}

echo "== fuzz: ${#targets[@]} targets, ${seconds} s each, $jobs at a time"
failed=()
pids=()
names=()
wait_first() {
  if wait "${pids[0]}"; then
    echo "   ok   ${names[0]} ($(grep -ho 'stat::number_of_executed_units: *[0-9]*' \
      "$dir/fuzz-${names[0]}.log" | grep -o '[0-9]*$' || echo '?') runs)"
  else
    echo "   FAIL ${names[0]}"
    failed+=("${names[0]}")
  fi
  pids=("${pids[@]:1}")
  names=("${names[@]:1}")
}
for target in "${targets[@]}"; do
  if [ ! -x "$dir/bin/fuzz_$target" ]; then
    echo "run-fuzzers.sh: no target $target" >&2
    exit 2
  fi
  [ ${#pids[@]} -ge "$jobs" ] && wait_first
  run_one "$target" &
  pids+=($!)
  names+=("$target")
done
while [ ${#pids[@]} -gt 0 ]; do wait_first; done

if [ ${#failed[@]} -ne 0 ]; then
  for target in "${failed[@]}"; do
    echo "--- $target ($dir/fuzz-$target.log):" >&2
    tail -n 60 "$dir/fuzz-$target.log" >&2
    echo "input: $(ls "$dir/fuzz-artifacts/$target/" 2>/dev/null | head -n 3)" >&2
  done
  echo "== fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "== fuzz: clean"

#!/usr/bin/env bash
# Runs every libFuzzer harness of the sanitizer tree for SECONDS each, seeded
# from tests/fuzz/seeds/<harness>/, after replaying tests/fuzz/regressions/
# <harness>/ (inputs that once failed). The corpus grows in
# BUILD/fuzz-corpus/<harness> from run to run; a failing input is kept in
# BUILD/fuzz-artifacts/. Exits non-zero if any harness finds a crash, a
# sanitizer report or a broken check.
#   tests/fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
build=$(cd "$1" && pwd)
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
count=0
for seeds in "$here"/seeds/*/; do
  name=$(basename "$seeds")
  harness="$build/tests/fuzz/$name"
  [[ -x $harness ]] || { echo "fuzz: $harness is not built (make fuzz)" >&2; exit 2; }
  corpus="$build/fuzz-corpus/$name"
  artifacts="$build/fuzz-artifacts/$name"
  mkdir -p "$corpus/work" "$artifacts"
  if ! "$harness" "--make-seeds=$seeds:$corpus/seeds" 2>"$artifacts/seeds.log"; then
    echo "fuzz: $name cannot read its seeds:"
    tail -5 "$artifacts/seeds.log"
    exit 2
  fi
  count=$((count + 1))
  regressions="$here/regressions/$name"
  if [[ -d $regressions ]] && ! "$harness" "$regressions"/* >"$artifacts/regressions.log" 2>&1; then
    echo "fuzz: $name fails on a regression input; see $artifacts/regressions.log"
    failed+=("$name")
    continue
  fi
  log="$artifacts/fuzz.log"
  echo "fuzz: $name for ${seconds}s"
  if "$harness" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=8192 \
       -print_final_stats=1 -artifact_prefix="$artifacts/" \
       "$corpus/work" "$corpus/seeds" >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz: $name clean: ${execs:-?} inputs, $cov"
  else
    echo "fuzz: $name FAILED; the last lines of $log:"
    grep -v '^#[0-9]' "$log" | tail -40
    echo "fuzz: reproduce with $harness $artifacts/<crash-file>"
    failed+=("$name")
  fi
done
if (( ${#failed[@]} > 0 )); then
  echo "fuzz: ${#failed[@]} of $count harnesses failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: all $count harnesses clean"

#!/usr/bin/env bash
# ctest in a sanitizer tree (make test-asan). Every process the tests start
# (the service binaries, vetctl) is sanitized too, and a report from one of
# them need not fail the test that started it, so each sanitizer writes its
# reports to BUILD/sanitizer-logs and any report there fails the run.
#   tests/run_sanitized.sh BUILD_DIR [ctest arguments]
set -uo pipefail
build=$(cd "$1" && pwd)
shift
logs="$build/sanitizer-logs"
rm -rf "$logs" && mkdir -p "$logs"
export ASAN_OPTIONS="detect_leaks=1:log_path=$logs/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"
# Every suppression there says why it is not our bug.
here=$(cd "$(dirname "$0")" && pwd)
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
(cd "$build" && ctest --output-on-failure -j "${JOBS:-$(nproc)}" --timeout 600 "$@")
rc=$?
reports=("$logs"/*)
if [[ -e ${reports[0]} ]]; then
  echo "sanitizer reports (${#reports[@]}):"
  for report in "${reports[@]}"; do
    echo "== $report"
    head -60 "$report"
  done
  exit 1
fi
exit $rc

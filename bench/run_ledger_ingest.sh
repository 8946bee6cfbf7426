#!/usr/bin/env bash
# Training-ledger bulk ingest against this machine's own Redis limit, measured
# in the same run: a fresh redis-server with appendfsync always, first
# `redis-benchmark -P 16 -t incr` on it (the baseline), then bench/ledger_ingest
# streaming records through the real service. Prints records/s and the ratio.
#   bench/run_ledger_ingest.sh [BUILD_DIR] [ledger_ingest flags…]
# Not part of `make test`.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
shift || true
work=$(mktemp -d)
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
trap cleanup_started EXIT

start_redis
machine_note
echo "redis: $(redis-server --version | awk '{print $3}'), AOF appendfsync always, dir $work"
echo "load average (1 min): $(load_average)"

baseline=$(redis-benchmark -h 127.0.0.1 -p "$redis_port" -P 16 -t incr -n 2000000 -q \
  | tr '\r' '\n' | awk '/^INCR:/ {print $2}' | tail -1)
echo "baseline: redis-benchmark -P 16 -t incr: $baseline requests/s"
redis-cli -p "$redis_port" flushall >/dev/null

output=$("$build/bench/ledger_ingest" \
  --ledger-binary="$build/services/training-ledger/training-ledger" \
  --redis="127.0.0.1:$redis_port" --log="$work/training-ledger.log" "$@")
echo "$output" | grep -v '^records_per_second='
rate=$(echo "$output" | awk -F= '/^records_per_second=/ {print $2}')
echo "aof: $(du -sh "$work/appendonlydir" | cut -f1) written"
echo "load average (1 min): $(load_average)"
awk -v r="$rate" -v b="$baseline" 'BEGIN {
  printf "ledger ingest: %.0f records/s = %.2f x redis-benchmark incr (%.0f/s); goal 100000 records/s: %s\n",
         r, r / b, b, (r >= 100000 ? "met" : sprintf("missed by %.0f%%", 100 * (1 - r / 100000)))
}'

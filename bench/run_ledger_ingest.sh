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
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ]; then kill -TERM "$redis_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  while :; do
    local port=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

port=$(free_port)
redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --appendonly yes \
  --appendfsync always --save "" --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "machine: $(nproc) cores (shared); Redis, service and client on the same cores"
echo "redis: $(redis-server --version | awk '{print $3}'), AOF appendfsync always, dir $work"

baseline=$(redis-benchmark -h 127.0.0.1 -p "$port" -P 16 -t incr -n 2000000 -q \
  | tr '\r' '\n' | awk '/^INCR:/ {print $2}' | tail -1)
echo "baseline: redis-benchmark -P 16 -t incr: $baseline requests/s"
redis-cli -p "$port" flushall >/dev/null

output=$("$build/bench/ledger_ingest" \
  --ledger-binary="$build/services/training-ledger/training-ledger" \
  --redis="127.0.0.1:$port" --log="$work/training-ledger.log" "$@")
echo "$output" | grep -v '^records_per_second='
rate=$(echo "$output" | awk -F= '/^records_per_second=/ {print $2}')
echo "aof: $(du -sh "$work/appendonlydir" | cut -f1) written"
awk -v r="$rate" -v b="$baseline" 'BEGIN {
  printf "ledger ingest: %.0f records/s = %.2f x redis-benchmark incr (%.0f/s); goal 100000 records/s: %s\n",
         r, r / b, b, (r >= 100000 ? "met" : sprintf("missed by %.0f%%", 100 * (1 - r / 100000)))
}'

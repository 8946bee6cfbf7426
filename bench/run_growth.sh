#!/usr/bin/env bash
# make bench-growth: what the district overview and the training statements
# cost with 1,000 records in the ledger and with 1,000,000, in one run on one
# machine. The suite runs on a durable redis-server with two gateways: one as
# shipped (1 s view cache) and one with the cache off, whose cost is the
# real one. Records are streamed through ImportTrainingRecords with the
# "spread" mix (every institution and year, larger schools and later years
# recording more, each school its own programmes and groups), one in 500
# reversed. At each size: Redis memory, then grpc_load (16 in flight over 4
# channels, every scenario measured GROWTH_ROUNDS times in turn, the median
# kept, echo measured alongside as the same-run baseline).
#   bench/run_growth.sh [BUILD_DIR] [grpc_load flags…]
# Environment: GROWTH_SMALL (1000), GROWTH_LARGE (1000000), GROWTH_ROUNDS (3).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
shift || true
small=${GROWTH_SMALL:-1000}
large=${GROWTH_LARGE:-1000000}
rounds=${GROWTH_ROUNDS:-3}
work=$(mktemp -d)
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
trap cleanup_started EXIT

start_redis
start_services "$repo"
cached_port="" uncached_port=""
start_gateway cached_port gateway
# Without the cache, and with a deadline long enough that every view is
# assembled whole: a view cut short at the deadline would cost less.
start_gateway uncached_port gateway-uncached --view-cache-ms=0 --view-deadline-ms=10000
# The statements are read for last year, a full year of records; the
# overview defaults to its own results year.
year=$(( $(date +%Y) - 1 ))
machine_note

# ingest RUN COUNT SEED: COUNT more records, one in 500 of them reversed.
ingest() {
  "$build/bench/ledger_ingest" --ledger="127.0.0.1:$ledger_port" --cells=spread --warmup=0 \
    --run="$1" --records="$2" --seed="$3" --reversals=$(( $2 / 500 )) | grep -v '^reversals='
  wait_aof_rewrite
}

# measure SIZE: Redis memory and the scenarios, into $work/SIZE.txt.
measure() {
  local size=$1
  shift
  echo
  echo "== $size records in the ledger (load average $(load_average))"
  redis-cli -p "$redis_port" info memory |
    grep -E '^(used_memory|used_memory_human|used_memory_dataset|used_memory_rss_human):' |
    tr -d '\r' | tee "$work/$size.memory"
  echo "keys: $(redis-cli -p "$redis_port" dbsize)"
  "$build/bench/grpc_load" --scenarios=echo,overview,overview-uncached,statement,district-statement \
    --rounds="$rounds" --gateway="127.0.0.1:$cached_port" \
    --gateway-uncached="127.0.0.1:$uncached_port" --ledger="127.0.0.1:$ledger_port" \
    --institution=cqvie --year="$year" --token="$token" "$@" | tee "$work/$size.txt"
  echo "load average after: $(load_average)"
}

ingest g1 "$small" 1
measure "$small" "$@"
ingest g2 $(( large - small )) 2
measure "$large" "$@"

echo
echo "== growth $small -> $large records: cost = 1/QPS (median of $rounds round(s)); goal <= 1.20 x"
awk -v small="$small" -v large="$large" '
  FNR == 1 { size = (FILENAME ~ "/" small "\\.txt$") ? "s" : "l" }
  # Round lines, then (with several rounds) the medians: the last line of a scenario counts.
  $1 ~ /^([0-9]+|median)$/ { qps[size, $2] = $3; p50[size, $2] = $4; p99[size, $2] = $5; failed[size, $2] = $6 }
  END {
    # How much the echo baseline itself changed between the two sizes is the
    # machine drift; "/echo" divides it out.
    drift = qps["l", "echo"] > 0 ? qps["s", "echo"] / qps["l", "echo"] : 1
    printf "%-20s %9s %9s %7s %7s %9s %9s %9s %9s %7s  %s\n", "scenario", "qps small", "qps large",
           "cost x", "/echo", "p50 small", "p50 large", "p99 small", "p99 large", "failed", "verdict"
    n = split("echo overview overview-uncached statement district-statement", names, " ")
    for (i = 1; i <= n; i++) {
      s = names[i]
      if (qps["l", s] == 0) continue
      cost = qps["s", s] / qps["l", s]
      verdict = s == "echo" ? "baseline (machine drift)" : (cost <= 1.2 ? "met" : "missed")
      if (s == "overview") verdict = verdict " (cached: for reference)"
      printf "%-20s %9.0f %9.0f %7.2f %7.2f %9.3f %9.3f %9.3f %9.3f %7d  %s\n", s, qps["s", s],
             qps["l", s], cost, cost / drift, p50["s", s], p50["l", s], p99["s", s], p99["l", s],
             failed["s", s] + failed["l", s], verdict
    }
  }' "$work/$small.txt" "$work/$large.txt"
for size in "$small" "$large"; do
  echo "redis at $size records: $(tr '\n' ' ' <"$work/$size.memory")"
done

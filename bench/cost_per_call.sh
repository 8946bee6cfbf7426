#!/usr/bin/env bash
# Where one scenario's calls spend the machine: the suite as `make bench`
# starts it, one scenario run for 12 s, and over 5 s in its middle each
# process's CPU (from /proc, so no perf is needed) per call, its context
# switches per call, and how busy the two cores were. Throughput alone cannot
# say whether a change saved CPU or only moved a wait.
#   bench/cost_per_call.sh [BUILD_DIR] [SCENARIO]   (default: file-progress)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
scenario=${2:-file-progress}
work=$(mktemp -d)
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
trap cleanup_started EXIT

start_suite "$repo"

"$build/bench/grpc_load" --tasks="127.0.0.1:$tasks_port" --gateway="127.0.0.1:$gateway_port" \
  --ledger="127.0.0.1:$ledger_port" --token="$token" --rounds=1 --seconds=12 \
  --scenarios="$scenario" >"$work/load.txt" &
load_pid=$!

# pid, name, CPU ticks (user+system) and context switches of every thread.
snapshot() {
  local pid
  for pid in "${pids[@]}" "$load_pid"; do
    [ -d "/proc/$pid" ] || continue
    # Threads that end between the glob and the read are skipped.
    { head -1 "/proc/$pid/stat"; cat /proc/"$pid"/task/*/status 2>/dev/null || true; } |
      awk -v pid="$pid" -v name="$(cat "/proc/$pid/comm")" \
        'NR == 1 { ticks = $14 + $15 }
         /ctxt_switches/ { switches += $2 }
         END { print pid, name, ticks, switches }'
  done
}
cpu_line() { head -1 /proc/stat; }
# Redis's reads of client sockets and commands run: reads per call say how
# many calls a batch carried.
redis_line() {
  redis-cli -p "$redis_port" info stats |
    awk -F: '/^total_(reads_processed|commands_processed)/ { printf "%s ", $2 + 0 }'
  echo
}

sleep 4  # warm-up and the first calls
snapshot >"$work/before"
cpu_line >"$work/cpu_before"
redis_line >"$work/redis_before"
sleep 5
redis_line >"$work/redis_after"
snapshot >"$work/after"
cpu_line >"$work/cpu_after"
wait "$load_pid"

qps=$(awk -v s="$scenario" '$1 == "1" && $2 == s { print $3 }' "$work/load.txt")
echo "$scenario: $qps calls/s (12 s, 16 in flight over 4 channels); load average $(load_average)"
awk -v qps="$qps" -v hz="$(getconf CLK_TCK)" '
  FNR == NR { ticks[$1] = $3; switches[$1] = $4; next }
  ($1 in ticks) {
    cores = ($3 - ticks[$1]) / hz / 5
    if (cores < 0.01) next
    printf "  %-16s %5.2f cores  %6.1f us/call  %5.2f context switches/call\n",
      $2, cores, cores * 1e6 / qps, ($4 - switches[$1]) / (qps * 5)
  }' "$work/before" "$work/after"
paste -d' ' "$work/redis_before" "$work/redis_after" | awk -v qps="$qps" '{
  printf "  redis: %.2f commands/call, %.2f client reads/call (%.1f calls per read)\n",
    ($3 - $1) / (qps * 5), ($4 - $2) / (qps * 5), (qps * 5) / ($4 - $2)
}'
# /proc/stat: cpu user nice system idle iowait irq softirq …
paste -d' ' "$work/cpu_before" "$work/cpu_after" | awk '{
  n = (NF - 2) / 2
  for (i = 2; i <= n + 1; i++) { d[i - 1] = $(i + n + 1) - $i; total += d[i - 1] }
  printf "  machine: user %.0f%%, system %.0f%%, idle %.0f%%, iowait %.0f%%, softirq %.0f%%\n",
    100 * (d[1] + d[2]) / total, 100 * d[3] / total, 100 * d[4] / total, 100 * d[5] / total,
    100 * d[7] / total
}'

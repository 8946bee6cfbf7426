# shellcheck shell=bash
# Sourced by the bench scripts: free ports, a durable redis-server and the
# services on loopback. The caller sets `work` (a scratch directory) and
# `build`, and traps cleanup_started (which stops what `pids` lists); the
# functions set the ports and `token` for the caller to use.
# shellcheck disable=SC2154,SC2034

# shellcheck source=deploy/local/redis.sh
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/local/redis.sh"

pids=()

cleanup_started() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

# The 1-minute load average, for the note beside each figure.
load_average() { cut -d' ' -f1 /proc/loadavg; }

# Sets redis_port: a redis-server as shipped (AOF, appendfsync always).
start_redis() {
  free_port redis_port
  start_durable_redis "$redis_port" "$work" "$work/redis.log" || exit 1
  redis_pid=$durable_redis_pid
  pids+=("$durable_redis_pid")
}

# Waits until Redis has no AOF rewrite running or scheduled (its fork and
# disk writes would land in whatever is measured next).
wait_aof_rewrite() {
  while redis-cli -p "$redis_port" info persistence |
      grep -qE '^aof_rewrite_(in_progress|scheduled):1'; do
    sleep 1
  done
}

# Starts the four services on redis_port and loads the plan, the institutions
# and the indicators; sets tasks_port, schools_port, ledger_port and
# evaluation_port.
start_services() {
  local repo=$1
  free_port tasks_port
  "$build/services/task-registry/task-registry" --listen="127.0.0.1:$tasks_port" --metrics= \
    --redis="127.0.0.1:$redis_port" >"$work/task-registry.log" 2>&1 &
  pids+=("$!")
  free_port schools_port
  "$build/services/school-reporting/school-reporting" --listen="127.0.0.1:$schools_port" \
    --metrics= --redis="127.0.0.1:$redis_port" --tasks="127.0.0.1:$tasks_port" \
    >"$work/school-reporting.log" 2>&1 &
  pids+=("$!")
  free_port ledger_port
  "$build/services/training-ledger/training-ledger" --listen="127.0.0.1:$ledger_port" --metrics= \
    --redis="127.0.0.1:$redis_port" --schools="127.0.0.1:$schools_port" \
    >"$work/training-ledger.log" 2>&1 &
  pids+=("$!")
  free_port evaluation_port
  "$build/services/evaluation/evaluation" --listen="127.0.0.1:$evaluation_port" --metrics= \
    --redis="127.0.0.1:$redis_port" --schools="127.0.0.1:$schools_port" \
    --ledger="127.0.0.1:$ledger_port" --tasks="127.0.0.1:$tasks_port" >"$work/evaluation.log" 2>&1 &
  pids+=("$!")
  # The last four pids are the services, in the order of their ports.
  local i started=("${pids[@]: -4}") ports=("$tasks_port" "$schools_port" "$ledger_port"
    "$evaluation_port")
  for i in 0 1 2 3; do
    wait_port "${ports[$i]}" "${started[$i]}" || exit 1
  done
  "$build/services/vetctl/vetctl" --addr "127.0.0.1:$tasks_port" --as operator \
    catalog load "$repo/services/task-registry/data/jiangjin-vet-2021.json" >/dev/null
  "$build/services/vetctl/vetctl" --schools-addr "127.0.0.1:$schools_port" --as operator \
    institutions import "$repo/services/school-reporting/data/institutions.json" >/dev/null
  "$build/services/vetctl/vetctl" --evaluation-addr "127.0.0.1:$evaluation_port" --as operator \
    indicators load "$repo/services/evaluation/data/indicators.json" >/dev/null
  head -c 48 /dev/urandom | base64 -w0 >"$work/token.key"
  token=$("$build/services/vetctl/vetctl" token issue --key-file "$work/token.key" --role coordinator --holder bench)
}

# start_gateway VAR NAME [gateway flags…]: a gateway in front of the
# services, its port put in the variable VAR.
start_gateway() {
  local var=$1 name=$2 port
  shift 2
  free_port port
  "$build/services/gateway/gateway" --listen="127.0.0.1:$port" --metrics= --http-listen= \
    --redis="127.0.0.1:$redis_port" --tasks="127.0.0.1:$tasks_port" \
    --schools="127.0.0.1:$schools_port" --ledger="127.0.0.1:$ledger_port" \
    --evaluation="127.0.0.1:$evaluation_port" --token-key-file="$work/token.key" "$@" \
    >"$work/$name.log" 2>&1 &
  pids+=("$!")
  wait_port "$port" "$!" || exit 1
  printf -v "$var" '%s' "$port"
}

# What `make bench` measures against: a durable Redis, the four services with
# the plan loaded, and a gateway as shipped; sets gateway_port besides the
# ports start_services sets.
start_suite() {
  local repo=$1
  start_redis
  start_services "$repo"
  gateway_port=""
  # BENCH_GATEWAY_FLAGS: flags for the gateway, split at spaces.
  local -a gateway_flags=()
  read -r -a gateway_flags <<<"${BENCH_GATEWAY_FLAGS:-}"
  start_gateway gateway_port gateway "${gateway_flags[@]}"
}

machine_note() {
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; client, services and Redis share them"
}

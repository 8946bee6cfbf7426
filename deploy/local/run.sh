#!/usr/bin/env bash
# Starts vetrack on this machine: a durable local redis-server and every
# service that has been built, then loads the plan's catalog.
#   deploy/local/run.sh [BUILD_DIR]   start (idempotent: a running suite is restarted)
#   deploy/local/run.sh --stop        stop everything it started
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=deploy/local/redis.sh
source "$repo/deploy/local/redis.sh"
state="$repo/.run"
redis_port=${VETRACK_REDIS_PORT:-6380}

# name grpc-port metrics-port [extra flags]
services=(
  "task-registry 50051 9101"
  "school-reporting 50052 9102"
  "training-ledger 50053 9103 --schools=127.0.0.1:50052"
  "evaluation 50054 9104 --schools=127.0.0.1:50052 --ledger=127.0.0.1:50053"
  "gateway 50050 9100 --http-listen=127.0.0.1:8080 --tasks=127.0.0.1:50051 --schools=127.0.0.1:50052 --ledger=127.0.0.1:50053 --evaluation=127.0.0.1:50054 --token-key-file=$state/token.key"
)

stop_all() {
  for pidfile in "$state"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
  done
}

wait_for_port() {
  local port=$1 name=$2
  wait_port "$port" 2>/dev/null && return 0
  echo "$name did not open port $port; see $state/$name.log" >&2
  exit 1
}

if [ "${1:-}" = "--stop" ]; then
  stop_all
  echo "vetrack stopped (data kept in $state/redis)"
  exit 0
fi

build=$(cd "${1:-$repo/build}" && pwd)
mkdir -p "$state/redis"
# A development token key, made once: the gateway verifies bearer tokens with
# it, and vetctl signs its own when VETRACK_TOKEN_KEY_FILE names it.
if [ ! -s "$state/token.key" ]; then
  (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$state/token.key" && echo >>"$state/token.key")
fi
stop_all

: >"$state/redis.log"
start_durable_redis "$redis_port" "$state/redis" "$state/redis.log" \
  || { echo "redis did not start; see $state/redis.log" >&2; exit 1; }
echo "$durable_redis_pid" >"$state/redis.pid"

for entry in "${services[@]}"; do
  read -r name grpc_port metrics_port extra <<<"$entry"
  binary="$build/services/$name/$name"
  [ -x "$binary" ] || { echo "skipping $name: not built"; continue; }
  "$binary" --listen="127.0.0.1:$grpc_port" --metrics="127.0.0.1:$metrics_port" \
    --redis="127.0.0.1:$redis_port" ${extra:+$extra} >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
  wait_for_port "$grpc_port" "$name"
done

# The exchange worker (services/exchange/SCHEMA.md) starts only when a
# municipal endpoint is configured; its secret signs every batch.
if [ -n "${VETRACK_EXCHANGE_ENDPOINT:-}" ] && [ -x "$build/services/exchange/exchange" ]; then
  if [ ! -s "$state/exchange.secret" ]; then
    (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$state/exchange.secret" && echo >>"$state/exchange.secret")
  fi
  "$build/services/exchange/exchange" --redis="127.0.0.1:$redis_port" \
    --endpoint="$VETRACK_EXCHANGE_ENDPOINT" --secret-file="${VETRACK_EXCHANGE_SECRET_FILE:-$state/exchange.secret}" \
    --sources=task-registry,school-reporting,training-ledger,evaluation --metrics=127.0.0.1:9105 >"$state/exchange.log" 2>&1 &
  echo $! >"$state/exchange.pid"
fi

vetctl="$build/services/vetctl/vetctl"
"$vetctl" --addr 127.0.0.1:50051 --as operator \
  catalog load "$repo/services/task-registry/data/jiangjin-vet-2021.json"
"$vetctl" --schools-addr 127.0.0.1:50052 --as operator \
  institutions import "$repo/services/school-reporting/data/institutions.json"
# A subset of the 2021 major catalog (the full one comes from the municipal import).
"$vetctl" --schools-addr 127.0.0.1:50052 --as operator \
  majors import "$repo/services/school-reporting/data/majors-2021-subset.json"
"$vetctl" --evaluation-addr 127.0.0.1:50054 --as operator \
  indicators load "$repo/services/evaluation/data/indicators.json"

echo
echo "vetrack is running (logs and data in $state):"
printf '  %-18s 127.0.0.1:%s  (AOF, appendfsync always)\n' redis-server "$redis_port"
for entry in "${services[@]}"; do
  read -r name port metrics_port _ <<<"$entry"
  [ -e "$state/$name.pid" ] || continue
  extra=""
  [ "$name" = gateway ] && extra="HTTP/JSON http://127.0.0.1:8080/v1/   "
  printf '  %-18s gRPC 127.0.0.1:%s   %smetrics http://127.0.0.1:%s/metrics\n' \
    "$name" "$port" "$extra" "$metrics_port"
done
if [ -e "$state/exchange.pid" ]; then
  printf '  %-18s to %s   metrics http://127.0.0.1:9105/metrics\n' exchange "$VETRACK_EXCHANGE_ENDPOINT"
fi
printf '  %-18s %s\n' vetctl "$vetctl"

cat <<EOF_INFO

Try (vetctl calls the gateway, which wants a bearer token; with the key
file named, vetctl signs one for the --as identity itself):
  export VETRACK_TOKEN_KEY_FILE=$state/token.key
  $vetctl overview
  $vetctl tasks list
  $vetctl --as department:hrss tasks list --unit hrss --role lead
  $vetctl escalations --level yellow
  $vetctl indicators
  $vetctl results final
  $vetctl training statement --year 2026
  $vetctl help            (every command)
Stop with: make stop
EOF_INFO

#!/usr/bin/env bash
# Starts vetrack on this machine: a durable local redis-server and every
# service that has been built, then loads the plan's catalog.
#   deploy/local/run.sh [BUILD_DIR]   start (idempotent: a running suite is restarted)
#   deploy/local/run.sh [BUILD_DIR] --stop   stop everything it started
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=deploy/local/redis.sh
source "$repo/deploy/local/redis.sh"
state="$repo/.run"
# The suite here is plaintext on loopback. Every service also reads its flags
# from VETRACK_<FLAG>, so the TLS files exported for vetctl against a
# deployment would make the local gateway speak TLS, and the loads below fail.
unset VETRACK_TLS_CERT VETRACK_TLS_KEY VETRACK_TLS_CLIENT_CA VETRACK_CA_FILE VETRACK_TLS_SERVER_NAME
redis_port=${VETRACK_REDIS_PORT:-6380}
http_port=8080
exchange_grpc_port=50055
exchange_metrics_port=9105
# How long a stop waits after SIGTERM before SIGKILL: longer than a service's
# drains (VETRACK_DRAIN_SECONDS, 10 s by default; the gateway drains HTTP/JSON
# and then gRPC, each up to that).
stop_wait_seconds=25

# name grpc-port metrics-port [extra flags]
services=(
  "task-registry 50051 9101"
  "school-reporting 50052 9102 --tasks=127.0.0.1:50051"
  "training-ledger 50053 9103 --schools=127.0.0.1:50052"
  "evaluation 50054 9104 --schools=127.0.0.1:50052 --ledger=127.0.0.1:50053 --tasks=127.0.0.1:50051"
  "gateway 50050 9100 --http-listen=127.0.0.1:$http_port --tasks=127.0.0.1:50051 --schools=127.0.0.1:50052 --ledger=127.0.0.1:50053 --evaluation=127.0.0.1:50054"
)
# A path, so it goes by the environment, never through the word splitting of
# the flags above (the checkout's path may contain spaces).
export VETRACK_TOKEN_KEY_FILE="$state/token.key"

# The program a pidfile's process runs: redis-server for redis.pid, else the
# service's own binary.
binary_of() {
  if [ "$1" = redis ]; then echo redis-server; else echo "$1"; fi
}

# True while the process exists and is not a zombie.
running() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# Microseconds since the epoch, without a fork.
now_us() {
  echo "${EPOCHREALTIME//[!0-9]/}"
}

# wait_gone SECONDS PID...: until none of them runs, or SECONDS have passed.
wait_gone() {
  local deadline=$(( $(now_us) + $1 * 1000000 ))
  shift
  while any_running "$@" && [ "$(now_us)" -lt "$deadline" ]; do sleep 0.1; done
}

any_running() {
  local pid
  for pid in "$@"; do running "$pid" && return 0; done
  return 1
}

# Prints the pid in .run/NAME.pid if that process still runs the program the
# name stands for (/proc/PID/cmdline); a pidfile left from before a reboot may
# name any process by now, and that one is never signalled.
live_pid() {
  local name=$1 pid binary argv0 first_word
  pid=$(cat "$state/$name.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  running "$pid" || return 1
  binary=$(binary_of "$name")
  argv0=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | head -n 1) || return 1
  # A service's argv[0] is its path (which may hold spaces); redis-server
  # rewrites its title to "redis-server 127.0.0.1:PORT".
  first_word=${argv0%% *}
  [ "${argv0##*/}" = "$binary" ] || [ "${first_word##*/}" = "$binary" ] || return 1
  echo "$pid"
}

# stop_group NAME...: SIGTERM to each one's process, up to stop_wait_seconds
# for them all to exit (a service drains first), then SIGKILL to what is left.
# A pidfile goes once its process has gone, or when it names no such process.
stop_group() {
  local name pid names=() pids=() i failed=0
  for name in "$@"; do
    [ -e "$state/$name.pid" ] || continue
    if pid=$(live_pid "$name"); then
      kill -TERM "$pid" 2>/dev/null || true
      names+=("$name")
      pids+=("$pid")
    else
      pid=$(cat "$state/$name.pid" 2>/dev/null || true)
      if [[ $pid =~ ^[0-9]+$ ]] && running "$pid"; then
        echo "$name: not signalling pid $pid, which is not $(binary_of "$name") (a stale $state/$name.pid)" >&2
      fi
      rm -f "$state/$name.pid"
    fi
  done
  [ "${#pids[@]}" -gt 0 ] || return 0
  wait_gone "$stop_wait_seconds" "${pids[@]}"
  for i in "${!pids[@]}"; do
    if running "${pids[$i]}"; then
      echo "${names[$i]} (pid ${pids[$i]}) still running ${stop_wait_seconds}s after SIGTERM: SIGKILL" >&2
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  wait_gone 2 "${pids[@]}"
  for i in "${!pids[@]}"; do
    if running "${pids[$i]}"; then
      echo "${names[$i]} (pid ${pids[$i]}) survived SIGKILL; keeping $state/${names[$i]}.pid" >&2
      failed=1
    else
      rm -f "$state/${names[$i]}.pid"
    fi
  done
  return "$failed"
}

# The gateway first (its in-flight calls need the services behind it), then
# the services and the exchange, Redis last (draining services still write).
stop_all() {
  local failed=0
  stop_group gateway || failed=1
  stop_group task-registry school-reporting training-ledger evaluation exchange || failed=1
  stop_group redis || failed=1
  return "$failed"
}

# Refuses to start beside anything that already listens on one of the ports:
# the service started there would fail to bind while the port looked open.
check_ports_free() {
  local busy=() entry name grpc_port metrics_port port
  if port_open "$redis_port"; then
    busy+=("$redis_port (redis-server; another port: VETRACK_REDIS_PORT=N make run)")
  fi
  for entry in "${services[@]}"; do
    read -r name grpc_port metrics_port _ <<<"$entry"
    [ -x "$build/services/$name/$name" ] || continue
    for port in "$grpc_port" "$metrics_port"; do
      port_open "$port" && busy+=("$port ($name)")
    done
    if [ "$name" = gateway ] && port_open "$http_port"; then busy+=("$http_port (gateway HTTP/JSON)"); fi
  done
  if exchange_enabled; then
    port_open "$exchange_grpc_port" && busy+=("$exchange_grpc_port (exchange health)")
    port_open "$exchange_metrics_port" && busy+=("$exchange_metrics_port (exchange metrics)")
  fi
  [ "${#busy[@]}" -eq 0 ] && return 0
  echo "vetrack not started: these ports are already in use on 127.0.0.1:" >&2
  printf '  %s\n' "${busy[@]}" >&2
  cat >&2 <<'EOF_BUSY'
A vetrack started another way (another checkout's make run: make stop there),
or another program: `ss -ltnp 'sport = :PORT'` names the process; stop it,
then run make run again.
EOF_BUSY
  exit 1
}

exchange_enabled() {
  [ -n "${VETRACK_EXCHANGE_ENDPOINT:-}" ] && [ -x "$build/services/exchange/exchange" ]
}

# The suite's ports lie in the kernel's ephemeral range, so one may have
# served a moment ago as the local end of some client's connection (make test
# opens thousands). Closed, such a connection holds the port in TIME_WAIT for
# up to a minute, and a service's bind fails meanwhile.
ports_held() {
  command -v ss >/dev/null || return 1
  [ -n "$(ss -Htan exclude listening "( $(sport_filter "$@") )" 2>/dev/null)" ]
}

sport_filter() {
  local filter="" port
  for port in "$@"; do filter+="${filter:+ or }sport = :$port"; done
  echo "$filter"
}

# wait_ports_released PORT...: until no connection holds any of them (at most
# 70 s: TIME_WAIT lasts 60).
wait_ports_released() {
  local deadline=$(( $(now_us) + 70 * 1000000 ))
  echo "waiting (up to a minute) for closed connections to release port(s) $*:"
  ss -Htan exclude listening "( $(sport_filter "$@") )" | head -n 3 || true
  while ports_held "$@" && [ "$(now_us)" -lt "$deadline" ]; do sleep 1; done
}

# start_process NAME PORT... -- COMMAND...: runs COMMAND in the background
# with its output in NAME.log, and waits for it to open every PORT. When it
# exits at once because a closed connection still held one of them, it is
# started again once that has passed.
start_process() {
  local name=$1 ports=() attempt
  shift
  while [ "$1" != -- ]; do ports+=("$1"); shift; done
  shift
  for attempt in 1 2; do
    "$@" >"$state/$name.log" 2>&1 &
    pid=$!
    echo "$pid" >"$state/$name.pid"
    started "$pid" "${ports[@]}" && return 0
    if [ "$attempt" -eq 1 ] && ! running "$pid" && ports_held "${ports[@]}"; then
      mv "$state/$name.log" "$state/$name.log.1"  # the failed bind, kept
      wait_ports_released "${ports[@]}"
      continue
    fi
    fail_start "$name" "$pid" "${ports[@]}"
  done
}

# started PID PORT...: every port open while PID is alive.
started() {
  local pid=$1 port
  shift
  for port in "$@"; do wait_port "$port" "$pid" 2>/dev/null || return 1; done
}

# fail_start NAME PID PORT...: after `started` gave up, says which port did
# not open and why, shows the end of the log, stops everything started so
# far, and exits 1.
fail_start() {
  local name=$1 pid=$2 port
  shift 2
  for port in "$@"; do
    port_open "$port" && running "$pid" && continue
    if running "$pid"; then
      echo "$name did not open port $port within 10 s; the end of $state/$name.log:" >&2
    else
      echo "$name exited before it opened port $port; the end of $state/$name.log:" >&2
    fi
    break
  done
  tail -n 20 "$state/$name.log" >&2
  echo "stopping what was started" >&2
  stop_all || true
  exit 1
}

# Found in use: `run.sh BUILD_DIR --stop` took the build directory and
# restarted the suite instead of stopping it.
case "$#:${1:-}:${2:-}" in
  0:* | 1:--stop:* | 1:[!-]*) ;;
  2:*:--stop | 2:--stop:*) set -- --stop ;;
  *) echo "usage: deploy/local/run.sh [BUILD_DIR] [--stop]" >&2; exit 2 ;;
esac
if [ "${1:-}" = "--stop" ]; then
  stop_all || { echo "vetrack: something did not stop (above)" >&2; exit 1; }
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
stop_all || { echo "vetrack: the running suite did not stop (above); not starting" >&2; exit 1; }
check_ports_free

: >"$state/redis.log"
start_durable_redis "$redis_port" "$state/redis" "$state/redis.log" \
  || { echo "redis did not start (above; $state/redis.log)" >&2; exit 1; }
echo "$durable_redis_pid" >"$state/redis.pid"

for entry in "${services[@]}"; do
  read -r name grpc_port metrics_port extra <<<"$entry"
  binary="$build/services/$name/$name"
  [ -x "$binary" ] || { echo "skipping $name: not built"; continue; }
  ports=("$grpc_port" "$metrics_port")
  [ "$name" = gateway ] && ports+=("$http_port")
  # shellcheck disable=SC2086  # extra holds whole flags, split on purpose
  start_process "$name" "${ports[@]}" -- "$binary" --listen="127.0.0.1:$grpc_port" \
    --metrics="127.0.0.1:$metrics_port" --redis="127.0.0.1:$redis_port" ${extra:+$extra}
done

# The exchange worker (services/exchange/SCHEMA.md) starts only when a
# municipal endpoint is configured; its secret signs every batch.
if exchange_enabled; then
  if [ ! -s "$state/exchange.secret" ]; then
    (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$state/exchange.secret" && echo >>"$state/exchange.secret")
  fi
  start_process exchange "$exchange_grpc_port" "$exchange_metrics_port" -- \
    "$build/services/exchange/exchange" --redis="127.0.0.1:$redis_port" \
    --endpoint="$VETRACK_EXCHANGE_ENDPOINT" --secret-file="${VETRACK_EXCHANGE_SECRET_FILE:-$state/exchange.secret}" \
    --sources=task-registry,school-reporting,training-ledger,evaluation \
    --listen="127.0.0.1:$exchange_grpc_port" --metrics="127.0.0.1:$exchange_metrics_port"
fi

vetctl="$build/services/vetctl/vetctl"
# load WHAT VETCTL-ARGS...: one load; when it fails, says which, and that the
# suite is left running for a look (make stop stops it).
load() {
  local what=$1
  shift
  "$vetctl" "$@" && return 0
  echo "vetrack: loading $what failed (above); the services are left running (logs in $state;" \
    "make stop stops them)" >&2
  exit 1
}
load "the plan's catalog" --addr 127.0.0.1:50051 --as operator \
  catalog load "$repo/services/task-registry/data/jiangjin-vet-2021.json"
load "the institutions" --schools-addr 127.0.0.1:50052 --as operator \
  institutions import --keep-stored "$repo/services/school-reporting/data/institutions.json"
# A subset of the 2021 major catalog (the full one comes from the municipal import).
load "the majors" --schools-addr 127.0.0.1:50052 --as operator \
  majors import --keep-stored "$repo/services/school-reporting/data/majors-2021-subset.json"
# After the catalog: the indicators name its departments and tasks.
load "the indicators" --evaluation-addr 127.0.0.1:50054 --as operator \
  indicators load "$repo/services/evaluation/data/indicators.json"

echo
echo "vetrack is running (logs and data in $state):"
printf '  %-18s 127.0.0.1:%s  (AOF, appendfsync always)\n' redis-server "$redis_port"
for entry in "${services[@]}"; do
  read -r name port metrics_port _ <<<"$entry"
  [ -e "$state/$name.pid" ] || continue
  extra=""
  [ "$name" = gateway ] && extra="HTTP/JSON http://127.0.0.1:$http_port/v1/   "
  printf '  %-18s gRPC 127.0.0.1:%s   %smetrics http://127.0.0.1:%s/metrics\n' \
    "$name" "$port" "$extra" "$metrics_port"
done
if [ -e "$state/exchange.pid" ]; then
  printf '  %-18s to %s   health 127.0.0.1:%s   metrics http://127.0.0.1:%s/metrics\n' exchange \
    "$VETRACK_EXCHANGE_ENDPOINT" "$exchange_grpc_port" "$exchange_metrics_port"
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

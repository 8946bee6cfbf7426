# shellcheck shell=bash
# Sourced by every script that runs vetrack on this machine (deploy/local/
# run.sh, bench/lib.sh, tests/ops/restore_drill.sh): free loopback ports, and
# a redis-server as durable as production's.

# A free loopback port.
free_port() {
  while :; do
    local port=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Waits up to 10 s for the port to listen; non-zero if it never does.
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "port $1 never opened" >&2
  return 1
}

# start_durable_redis PORT DIR LOG: a redis-server in the background (its pid
# in `durable_redis_pid`) with AOF and an fsync on every write. A torn AOF
# tail (Redis killed mid-write) is cut before its MULTI block by
# redis-check-aof rather than by Redis 7.0's own loader, which leaves the
# block open and later replays half a script (deploy/k8s/components/
# in-cluster-redis/redis.yaml says more); hence aof-load-truncated no.
start_durable_redis() {
  local port=$1 dir=$2 log=$3
  local manifest="$dir/appendonlydir/appendonly.aof.manifest"
  if [ -f "$manifest" ] && ! redis-check-aof "$manifest" >/dev/null 2>&1; then
    echo y | redis-check-aof --fix "$manifest" >>"$log" 2>&1
  fi
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes \
    --appendfsync always --aof-load-truncated no --save "" --daemonize no >>"$log" 2>&1 &
  # shellcheck disable=SC2034 # read by the caller
  durable_redis_pid=$!
  wait_port "$port"
}

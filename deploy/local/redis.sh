# shellcheck shell=bash
# Sourced by every script that runs vetrack on this machine (deploy/local/
# run.sh, bench/lib.sh, tests/ops/restore_drill.sh): free loopback ports, and
# a redis-server as durable as production's.

# True when something accepts connections on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port VAR: puts in VAR a free loopback port, claimed as the C++ tests
# claim theirs (libs/testing/ports.cc): the same range, below the kernel's
# ephemeral one (whose ports any outgoing connection may take between a pick
# and the bind), and a lock on the same file, held by this shell and the
# processes it starts until they exit. A port a test has claimed but not yet
# bound is not handed out twice; CI lost a restore drill to such a race.
free_port() {
  # Names of its own, so that the caller's VAR is never one of them.
  local _free_var=$1 _free_dir=/tmp/vetrack-test-ports _free_port _free_fd _free_try
  command -v flock >/dev/null || { echo "free_port needs flock (util-linux)" >&2; return 1; }
  mkdir -p "$_free_dir"
  chmod 1777 "$_free_dir" 2>/dev/null || true  # others' runs on this machine claim here too
  for _free_try in $(seq 12000); do
    _free_port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
    [ -e "$_free_dir/$_free_port" ] || { : >"$_free_dir/$_free_port"; } 2>/dev/null || continue
    { exec {_free_fd}<"$_free_dir/$_free_port"; } 2>/dev/null || continue
    # A port another process listens on is taken; the servers started here
    # bind with SO_REUSEADDR, so one left in TIME_WAIT is not.
    if flock -n "$_free_fd" && ! port_open "$_free_port"; then
      printf -v "$_free_var" '%s' "$_free_port"
      return
    fi
    exec {_free_fd}<&-
  done
  echo "free_port: no port to claim in $_free_dir after $_free_try tries" >&2
  return 1
}

# wait_port PORT [PID]: waits up to 10 s for the port to listen; non-zero if
# it never does. With PID (the process expected to open it), also non-zero as
# soon as that process has exited: a port some other process holds does not
# count as this one started. Callers check that the port is free before they
# start the process.
wait_port() {
  local port=$1 pid=${2:-}
  for _ in $(seq 100); do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "process $pid exited before it opened port $port" >&2
      return 1
    fi
    if port_open "$port"; then
      # Alive and listening (if it died just now, the next round says so).
      [ -z "$pid" ] && return 0
      kill -0 "$pid" 2>/dev/null && return 0
    fi
    sleep 0.1
  done
  echo "port $port never opened" >&2
  return 1
}

# start_durable_redis PORT DIR LOG: a redis-server in the background (its pid
# in `durable_redis_pid`) with AOF and an fsync on every write. A torn AOF
# tail (Redis killed mid-write) is cut before its MULTI block by
# redis-check-aof rather than by Redis 7.0's own loader, which leaves the
# block open and later replays half a script (deploy/k8s/components/
# in-cluster-redis/redis.yaml says more); hence aof-load-truncated no.
# Non-zero, with the log's tail on stderr, when the port is already taken or
# Redis exits before it listens.
start_durable_redis() {
  local port=$1 dir=$2 log=$3
  local manifest="$dir/appendonlydir/appendonly.aof.manifest"
  if port_open "$port"; then
    echo "port $port is already in use: not starting redis-server on it" >&2
    return 1
  fi
  if [ -f "$manifest" ] && ! redis-check-aof "$manifest" >/dev/null 2>&1; then
    echo y | redis-check-aof --fix "$manifest" >>"$log" 2>&1
  fi
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes \
    --appendfsync always --aof-load-truncated no --save "" --daemonize no >>"$log" 2>&1 &
  # shellcheck disable=SC2034 # read by the caller
  durable_redis_pid=$!
  wait_port "$port" "$durable_redis_pid" && wait_redis_loaded "$port" "$durable_redis_pid" && return 0
  echo "redis-server did not start on port $port; the end of $log:" >&2
  tail -n 20 "$log" >&2
  return 1
}

# wait_redis_loaded PORT PID: until the redis-server on PORT has read its
# data back (it listens at once, but answers LOADING until then: found in
# use, a restart over half a million ledger records failed its first load).
# Non-zero, saying why, when PID exits first or it has not answered PONG
# within 10 minutes.
wait_redis_loaded() {
  local port=$1 pid=$2 reply="" said=""
  for _ in $(seq 3000); do
    kill -0 "$pid" 2>/dev/null || { echo "redis-server exited while reading its data" >&2; return 1; }
    reply=$(redis-cli -p "$port" ping 2>&1 || true)
    [ "$reply" = PONG ] && return 0
    if [ -z "$said" ] && [[ "$reply" == LOADING* ]]; then
      echo "redis-server is reading its data back (a large ledger takes a while)"
      said=yes
    fi
    sleep 0.2
  done
  echo "redis-server on port $port did not answer PONG within 10 minutes (last: $reply)" >&2
  return 1
}

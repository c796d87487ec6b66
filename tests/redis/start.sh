#!/usr/bin/env bash
# Starts a throw-away redis-server for the shared-state tests and prints its address (host:port).
# Run as root on Debian it installs redis-server when missing. 127.0.0.1 only, no persistence, its files in a temp dir.
# tests/redis/stop.sh stops it and removes the dir; a test stops and starts it again with the same state file.
# Env: OTQ_REDIS_PORT (16379), OTQ_REDIS_STATE (/tmp/otq-redis.state).
set -euo pipefail
port=${OTQ_REDIS_PORT:-16379}
state=${OTQ_REDIS_STATE:-/tmp/otq-redis.state}

if [ -f "$state" ] && [ -n "$(sed -n 's/^pid=//p' "$state")" ] && kill -0 "$(sed -n 's/^pid=//p' "$state")" 2>/dev/null \
  && tr '\0' ' ' 2>/dev/null <"/proc/$(sed -n 's/^pid=//p' "$state")/cmdline" | grep -q redis-server; then
  echo "redis/start.sh: $state names a running server; run tests/redis/stop.sh first" >&2
  exit 1
fi
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ]; then
    echo "=== installing redis-server (apt-get)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis/start.sh: redis-server is not installed (run as root on Debian to install it)" >&2
    exit 1
  fi
fi

dir=$(sed -n 's/^dir=//p' "$state" 2>/dev/null || true)
[ -n "$dir" ] && [ -d "$dir" ] || dir=$(mktemp -d "${TMPDIR:-/tmp}/otq-redis.XXXXXX")
redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no --protected-mode yes \
  --daemonize no --logfile "$dir/redis.log" </dev/null >/dev/null 2>&1 &
pid=$!
printf 'pid=%s\ndir=%s\nport=%s\n' "$pid" "$dir" "$port" > "$state"
for _ in $(seq 1 40); do
  if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then echo "127.0.0.1:$port"; exit 0; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.25
done
echo "redis/start.sh: redis-server did not answer on 127.0.0.1:$port; its log:" >&2
tail -n 20 "$dir/redis.log" >&2 || true
exit 1

#!/usr/bin/env bash
# Stops the redis-server tests/redis/start.sh started. OTQ_REDIS_KEEP=1 keeps the state file (port, dir) for a start again.
set -euo pipefail
state=${OTQ_REDIS_STATE:-/tmp/otq-redis.state}
[ -f "$state" ] || exit 0
pid=$(sed -n 's/^pid=//p' "$state")
dir=$(sed -n 's/^dir=//p' "$state")
# Only a redis-server is signalled: a state file left by a killed run may name a pid that is now another program's.
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q redis-server; then
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
fi
if [ "${OTQ_REDIS_KEEP:-}" = 1 ]; then
  sed -i 's/^pid=.*/pid=/' "$state"
else
  case "$dir" in */otq-redis.*) rm -rf "$dir" ;; esac
  rm -f "$state"
fi

#!/usr/bin/env bash
# Stops the server tests/clickhouse/start.sh started (TERM, KILL after 10 s) and removes its temp dir.
# Does nothing when no state file is there. OTQ_CLICKHOUSE_KEEP_DIR=1 keeps the dir (its data) for a restart.
set -euo pipefail
state=${OTQ_CLICKHOUSE_STATE:-/tmp/otq-clickhouse.state}
[ -f "$state" ] || exit 0

pid=$(sed -n 's/^pid=//p' "$state")
dir=$(sed -n 's/^dir=//p' "$state")

# A state file left by a run whose processes are gone (killed with its session) may name a pid that is now
# another program's: only a clickhouse-server is ever signalled.
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q clickhouse-server; then
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "stop.sh: clickhouse-server $pid did not stop on TERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi

# Only ever remove the directory start.sh made; OTQ_CLICKHOUSE_KEEP_DIR=1 keeps it for a restart with the same data.
case "$dir" in
  */otq-clickhouse.*) [ "${OTQ_CLICKHOUSE_KEEP_DIR:-}" = 1 ] || rm -rf "$dir" ;;
  *) [ -z "$dir" ] || echo "stop.sh: not removing unexpected dir '$dir'" >&2 ;;
esac
rm -f "$state"

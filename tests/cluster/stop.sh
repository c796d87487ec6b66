#!/usr/bin/env bash
# Stops what tests/cluster/start.sh started (the four ClickHouse nodes, then ZooKeeper) and removes their temp dirs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state_dir=${OTQ_CLUSTER_STATE_DIR:-/tmp/otq-cluster}
[ -d "$state_dir" ] || exit 0
for state in "$state_dir"/node*.state; do
  [ -f "$state" ] || continue
  OTQ_CLICKHOUSE_STATE="$state" "$here/../clickhouse/stop.sh" || true
done
if [ -f "$state_dir/zookeeper.state" ]; then
  pid=$(sed -n 's/^pid=//p' "$state_dir/zookeeper.state")
  dir=$(sed -n 's/^dir=//p' "$state_dir/zookeeper.state")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  case "$dir" in */otq-zookeeper.*) rm -rf "$dir" ;; esac
fi
rm -rf "$state_dir"

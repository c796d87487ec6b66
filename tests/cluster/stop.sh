#!/usr/bin/env bash
# Stops what tests/cluster/start.sh started (the four ClickHouse nodes, then ZooKeeper) and removes their temp dirs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state_dir=${OTQ_CLUSTER_STATE_DIR:-/tmp/otq-cluster}
[ -d "$state_dir" ] || exit 0
# The nodes stop side by side: 18.16 can take seconds to end on TERM, and one after another that added up to ~20 s.
for state in "$state_dir"/node*.state; do
  [ -f "$state" ] || continue
  OTQ_CLICKHOUSE_STATE="$state" "$here/../clickhouse/stop.sh" &
done
wait
OTQ_CLUSTER_STATE_DIR="$state_dir" "$here/zookeeper.sh" stop || true
rm -rf "$state_dir"

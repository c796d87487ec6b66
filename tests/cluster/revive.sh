#!/usr/bin/env bash
# Starts again, on its own data and ports, every node of the cluster tests/cluster/start.sh started whose process has
# died (18.16 nodes have been seen to crash under the cluster tests: std::bad_alloc, then SIGSEGV), and ZooKeeper when
# its process died while it was meant to run. A node a test stopped on purpose (tests/clickhouse/stop.sh) has no state
# file left and is not touched; neither is a cluster of your own (no state files). The cluster fixtures run it before
# each test class, so one crash costs at most the tests that were running on that node, not every test after it.
# Prints one line per server it started again. Env: OTQ_CLUSTER_STATE_DIR (/tmp/otq-cluster), as start.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state_dir=${OTQ_CLUSTER_STATE_DIR:-/tmp/otq-cluster}
[ -d "$state_dir" ] || exit 0

exec 9>"$state_dir/revive.lock"
flock 9 # fixtures of test classes running in parallel call this at once: one looks, the others wait and find it done
# (the servers started below get "9>&-": a server that inherited the lock's descriptor would hold the lock for its life)

# Alive is enough: within a run a dead server's pid is not taken again in seconds, and a node being started right now
# (tests/clickhouse/start.sh writes its state between fork and exec) must count as running.
running() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

for state in "$state_dir"/node*.state; do
  [ -f "$state" ] || continue
  pid=$(sed -n 's/^pid=//p' "$state")
  running "$pid" && continue
  dir=$(sed -n 's/^dir=//p' "$state")
  url=$(sed -n 's/^url=//p' "$state")
  port=${url##*:}
  OTQ_CLICKHOUSE_STATE="$state" OTQ_CLICKHOUSE_KEEP_DIR=1 "$here/../clickhouse/stop.sh"
  OTQ_CLICKHOUSE_STATE="$state" OTQ_CLICKHOUSE_DIR="$dir" OTQ_CLICKHOUSE_HTTP_PORT="$port" \
    OTQ_CLICKHOUSE_TCP_PORT=$((port + 1)) OTQ_CLICKHOUSE_INTERSERVER_PORT=$((port + 2)) "$here/../clickhouse/start.sh" >/dev/null 9>&-
  echo "revived $(basename "$state" .state) at $url (its process $pid had died)"
done

zk="$state_dir/zookeeper.state"
if [ -f "$zk" ]; then
  pid=$(sed -n 's/^pid=//p' "$zk")
  # An empty pid is a ZooKeeper a test stopped on purpose (zookeeper.sh stop with OTQ_ZOOKEEPER_KEEP_DIR=1).
  if [ -n "$pid" ] && ! running "$pid"; then
    sed -i 's/^pid=.*/pid=/' "$zk"
    OTQ_CLUSTER_STATE_DIR="$state_dir" "$here/zookeeper.sh" start >/dev/null 9>&-
    echo "revived ZooKeeper (its process $pid had died)"
  fi
fi

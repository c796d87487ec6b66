#!/usr/bin/env bash
# Starts a throw-away replicated, sharded ClickHouse for the cluster tests: one ZooKeeper and four
# clickhouse-server processes (2 shards x 2 replicas, cluster name "otq") on loopback ports, data in temp dirs.
# Prints one line per ClickHouse node: "<shard> <replica> <http url> <state file>", then "zookeeper <port> <state>".
# Run as root on Debian it installs zookeeper (and, through tests/clickhouse/start.sh, clickhouse-server).
# tests/cluster/stop.sh stops everything it started. Each node is a tests/clickhouse/start.sh server with one extra
# config file (remote_servers, macros, zookeeper, interserver host), so a test can stop and restart one node with
# tests/clickhouse/stop.sh / start.sh and its state file, as ClickHouseFaultTests does with one server.
# Env: OTQ_CLUSTER_STATE_DIR (/tmp/otq-cluster), OTQ_CLUSTER_BASE_PORT (18120; node i gets http base+10*i,
#      tcp base+10*i+1, interserver base+10*i+2), OTQ_ZOOKEEPER_PORT (12181).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state_dir=${OTQ_CLUSTER_STATE_DIR:-/tmp/otq-cluster}
base=${OTQ_CLUSTER_BASE_PORT:-18120}
zk_port=${OTQ_ZOOKEEPER_PORT:-12181}

if [ -d "$state_dir" ] && [ -n "$(ls -A "$state_dir" 2>/dev/null)" ]; then
  echo "cluster/start.sh: $state_dir is not empty (a cluster from an earlier run?); run tests/cluster/stop.sh first" >&2
  exit 1
fi
mkdir -p "$state_dir"

if [ ! -x /usr/share/zookeeper/bin/zkServer.sh ]; then
  if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ]; then
    echo "=== installing zookeeper (apt-get)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zookeeper >/dev/null
  else
    echo "cluster/start.sh: zookeeper is not installed (run as root on Debian to install it)" >&2
    exit 1
  fi
fi

# --- ZooKeeper, standalone, loopback only
OTQ_CLUSTER_STATE_DIR="$state_dir" OTQ_ZOOKEEPER_PORT="$zk_port" "$here/zookeeper.sh" start >/dev/null || { "$here/stop.sh" >&2 || true; exit 1; }

# --- four ClickHouse nodes
node_port() { echo $((base + 10 * $1 + $2)); }
replicas_xml=""
for shard in 1 2; do
  replicas_xml+="<shard><internal_replication>true</internal_replication>"
  for replica in 1 2; do
    i=$(( (shard - 1) * 2 + replica - 1 ))
    replicas_xml+="<replica><host>127.0.0.1</host><port>$(node_port $i 1)</port></replica>"
  done
  replicas_xml+="</shard>"
done

for shard in 1 2; do
  for replica in 1 2; do
    i=$(( (shard - 1) * 2 + replica - 1 ))
    extra="$state_dir/node$i.xml"
    cat > "$extra" <<XML
<yandex>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <remote_servers><otq>$replicas_xml</otq></remote_servers>
  <zookeeper><node><host>127.0.0.1</host><port>$zk_port</port></node><session_timeout_ms>10000</session_timeout_ms></zookeeper>
  <macros><cluster>otq</cluster><shard>$shard</shard><replica>r$shard-$replica</replica></macros>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
</yandex>
XML
    url=$(OTQ_CLICKHOUSE_HTTP_PORT=$(node_port $i 0) OTQ_CLICKHOUSE_TCP_PORT=$(node_port $i 1) \
      OTQ_CLICKHOUSE_INTERSERVER_PORT=$(node_port $i 2) OTQ_CLICKHOUSE_STATE="$state_dir/node$i.state" \
      OTQ_CLICKHOUSE_EXTRA_CONFIG="$extra" "$here/../clickhouse/start.sh") || { "$here/stop.sh" >&2 || true; exit 1; }
    echo "$shard $replica $url $state_dir/node$i.state"
  done
done
echo "zookeeper $zk_port $state_dir/zookeeper.state"

#!/usr/bin/env bash
# Starts or stops the cluster tests' ZooKeeper (standalone, 127.0.0.1 only, data in a temp dir).
#   zookeeper.sh start   starts it (again on the same data when its state file names a dir kept by a stop)
#   zookeeper.sh stop    stops it (TERM, KILL after 10 s); OTQ_ZOOKEEPER_KEEP_DIR=1 keeps its data for a start
# Env: OTQ_CLUSTER_STATE_DIR (/tmp/otq-cluster; the state is zookeeper.state there), OTQ_ZOOKEEPER_PORT (12181).
# A chaos test stops and starts it under load: replicated inserts fail meanwhile and the collectors' spools absorb.
set -euo pipefail
state_dir=${OTQ_CLUSTER_STATE_DIR:-/tmp/otq-cluster}
state="$state_dir/zookeeper.state"
port=${OTQ_ZOOKEEPER_PORT:-12181}
mkdir -p "$state_dir"

ruok() { [ "$(printf ruok | timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1; cat >&3; cat <&3" 2>/dev/null)" = imok ]; }

case "${1:-}" in
  start)
    dir=""
    if [ -f "$state" ]; then
      dir=$(sed -n 's/^dir=//p' "$state")
      port=$(sed -n 's/^port=//p' "$state")
      pid=$(sed -n 's/^pid=//p' "$state")
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q QuorumPeerMain; then echo "zookeeper.sh: already running ($pid)" >&2; exit 1; fi
    fi
    if [ -z "$dir" ] || [ ! -f "$dir/conf/zoo.cfg" ]; then
      dir=$(mktemp -d "${TMPDIR:-/tmp}/otq-zookeeper.XXXXXX")
      mkdir -p "$dir/data" "$dir/conf"
      cp /etc/zookeeper/conf/log4j.properties "$dir/conf/" 2>/dev/null || cp /etc/zookeeper/conf_example/log4j.properties "$dir/conf/"
      cat > "$dir/conf/zoo.cfg" <<CFG
tickTime=500
initLimit=10
syncLimit=5
dataDir=$dir/data
clientPort=$port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=ruok,stat
# A throw-away test server: its log is not fsynced per write (ZooKeeper's "forceSync", an unsafe option for production),
# since every replicated insert and ON CLUSTER step of the tests waits on several ZooKeeper writes in a row, each of
# which would otherwise wait for a disk flush (~5 ms apiece on the CI disk under load).
forceSync=no
CFG
    fi
    (exec java -Xmx256m -Dzookeeper.log.dir="$dir" -Dzookeeper.root.logger=INFO,ROLLINGFILE \
       -cp "$dir/conf:/usr/share/java/zookeeper.jar:/usr/share/java/*" \
       org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/conf/zoo.cfg" >>"$dir/stdout.log" 2>&1) &
    pid=$!
    printf 'pid=%s\ndir=%s\nport=%s\n' "$pid" "$dir" "$port" > "$state"
    for _ in $(seq 1 60); do
      if ruok "$port"; then echo "$port"; exit 0; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    echo "zookeeper.sh: ZooKeeper did not answer on 127.0.0.1:$port within 30 s; its log:" >&2
    tail -n 30 "$dir/stdout.log" >&2 || true
    exit 1
    ;;
  stop)
    [ -f "$state" ] || exit 0
    pid=$(sed -n 's/^pid=//p' "$state")
    dir=$(sed -n 's/^dir=//p' "$state")
    # Only ZooKeeper is signalled: a state file left by a killed run may name a pid that is now another program's.
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q QuorumPeerMain; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    if [ "${OTQ_ZOOKEEPER_KEEP_DIR:-}" = 1 ]; then
      sed -i 's/^pid=.*/pid=/' "$state"
    else
      case "$dir" in */otq-zookeeper.*) rm -rf "$dir" ;; esac
      rm -f "$state"
    fi
    ;;
  *)
    echo "usage: zookeeper.sh start|stop" >&2
    exit 2
    ;;
esac

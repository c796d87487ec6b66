#!/usr/bin/env bash
# Starts a throw-away clickhouse-server for the ClickHouse store tests and prints its HTTP URL.
# Run as root on Debian it installs clickhouse-server/clickhouse-client when missing. The server gets its
# own copy of the packaged config in a temp dir (data, logs, tmp all inside it), listens on 127.0.0.1 only
# and runs as user clickhouse. tests/clickhouse/stop.sh stops it and removes the temp dir.
# Env: OTQ_CLICKHOUSE_HTTP_PORT (8123), OTQ_CLICKHOUSE_TCP_PORT (9000), OTQ_CLICKHOUSE_INTERSERVER_PORT (9009),
#      OTQ_CLICKHOUSE_STATE (state file, /tmp/otq-clickhouse.state),
#      OTQ_CLICKHOUSE_DIR (use this dir; when it already holds a server's config, start that server again with its
#      data: a test that stops the server with OTQ_CLICKHOUSE_KEEP_DIR=1 tests/clickhouse/stop.sh brings it back so),
#      OTQ_CLICKHOUSE_EXTRA_CONFIG (an XML file copied into the server's config.d: tests/cluster/start.sh gives each
#      node its cluster, macros and ZooKeeper so).
set -euo pipefail

http_port=${OTQ_CLICKHOUSE_HTTP_PORT:-8123}
tcp_port=${OTQ_CLICKHOUSE_TCP_PORT:-9000}
interserver_port=${OTQ_CLICKHOUSE_INTERSERVER_PORT:-9009}
state=${OTQ_CLICKHOUSE_STATE:-/tmp/otq-clickhouse.state}
url="http://127.0.0.1:${http_port}"

if [ -f "$state" ]; then
  echo "start.sh: $state exists (a server from an earlier run?); run tests/clickhouse/stop.sh first" >&2
  exit 1
fi

if ! command -v clickhouse-server >/dev/null || ! command -v curl >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ]; then
    echo "=== installing clickhouse-server (apt-get)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server clickhouse-client curl >/dev/null
  else
    echo "start.sh: clickhouse-server or curl is not installed (run as root on Debian to install them)" >&2
    exit 1
  fi
fi

# Something already answering on the port would make the tests pass against the wrong server.
if curl -fsS --max-time 2 "${url}/?query=SELECT%201" >/dev/null 2>&1; then
  echo "start.sh: ${url} already answers; stop that server or set OTQ_CLICKHOUSE_HTTP_PORT" >&2
  exit 1
fi

if [ -n "${OTQ_CLICKHOUSE_DIR:-}" ] && [ -f "${OTQ_CLICKHOUSE_DIR}/config.xml" ]; then
  dir=$OTQ_CLICKHOUSE_DIR # a restart: same config, same data
else
  if [ -n "${OTQ_CLICKHOUSE_DIR:-}" ]; then
    dir=$OTQ_CLICKHOUSE_DIR
    mkdir -p "$dir"
  else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/otq-clickhouse.XXXXXX")
  fi
  mkdir -p "$dir/data" "$dir/log"
  cp /etc/clickhouse-server/config.xml /etc/clickhouse-server/users.xml "$dir/"

  # Every packaged path lives under /var/lib/clickhouse/ or /var/log/clickhouse-server/: moving both prefixes
  # moves path, tmp_path, user_files_path, format_schema_path, access storage and the logs. Listen entries are
  # dropped wherever they are (also inside comments, harmless) and one loopback entry is added; ports that other
  # versions open by default (MySQL, PostgreSQL, TLS) are dropped so that two instances cannot collide on them.
  sed -i \
    -e "s#/var/lib/clickhouse/#${dir}/data/#g" \
    -e "s#/var/log/clickhouse-server/#${dir}/log/#g" \
    -e '/<listen_host>/d' \
    -e '/<mysql_port>/d' -e '/<postgresql_port>/d' -e '/<https_port>/d' -e '/<tcp_port_secure>/d' \
    -e "s#<http_port>[0-9]*</http_port>#<http_port>${http_port}</http_port>\n    <listen_host>127.0.0.1</listen_host>#" \
    -e "s#<tcp_port>[0-9]*</tcp_port>#<tcp_port>${tcp_port}</tcp_port>#" \
    -e "s#<interserver_http_port>[0-9]*</interserver_http_port>#<interserver_http_port>${interserver_port}</interserver_http_port>#" \
    "$dir/config.xml"
  # The default user accepts connections from anywhere in the packaged users.xml; loopback is all the tests need.
  sed -i -e 's#<ip>::/0</ip>#<ip>127.0.0.1</ip><ip>::1</ip>#' "$dir/users.xml"
  if [ -n "${OTQ_CLICKHOUSE_EXTRA_CONFIG:-}" ]; then
    mkdir -p "$dir/config.d"
    cp "$OTQ_CLICKHOUSE_EXTRA_CONFIG" "$dir/config.d/"
  fi
fi

run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown -R clickhouse:clickhouse "$dir"
  run_as=(setpriv --reuid=clickhouse --regid=clickhouse --init-groups)
fi

(cd "$dir" && exec "${run_as[@]}" clickhouse-server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1) &
pid=$!
printf 'pid=%s\ndir=%s\nurl=%s\n' "$pid" "$dir" "$url" > "$state"

for _ in $(seq 1 60); do
  if curl -fsS --max-time 2 "${url}/?query=SELECT%201" >/dev/null 2>&1; then
    echo "$url"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.5
done

echo "start.sh: clickhouse-server did not answer on ${url} within 30 s; its log:" >&2
tail -n 40 "$dir/log/stdout.log" "$dir/log/clickhouse-server.err.log" 2>/dev/null >&2 || true
"$(dirname "$0")/stop.sh" >&2 || true
exit 1

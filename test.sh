#!/usr/bin/env bash
# The one test command: builds the solution and runs every .NET test project, then the Node suites against
# the built collector (tests/report-e2e: the report in headless Chromium; tests/segment-clients: the real
# Segment-spec clients), then prints one closing line "N passed, N failed" (all suites counted). Exits
# non-zero on any failure.
# Needs the .NET SDK (see global.json), Node 20+ with npm, and Chromium at /usr/bin/chromium: run as root
# on Debian, this script installs Chromium when it is missing. DuckDB is embedded and the crash and
# report tests start the collector themselves. With CI=true a missing Chromium fails the report suite.
# ClickHouse (the production store's tests) is installed with apt-get and started by tests/clickhouse/start.sh,
# and stopped on exit; set OTQ_CLICKHOUSE_URL to use a server of your own instead. The cluster tests get ZooKeeper
# and four more clickhouse-server processes (2 shards x 2 replicas) from tests/cluster/start.sh, stopped on exit;
# set OTQ_CLICKHOUSE_CLUSTER_URLS (the nodes' HTTP URLs, comma-separated, cluster "otq") to use your own.
# redis-server is installed with apt-get and started by tests/redis/start.sh (OTQ_REDIS=host:port for your own).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# haproxy fronts the two collectors of the cluster chaos tests (deploy/haproxy/haproxy.cfg); the tests start it.
if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] && [ ! -x /usr/sbin/haproxy ]; then
  echo "=== installing haproxy (apt-get)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; } ||
    echo "apt-get install haproxy failed"
  # The package's own service is not ours: the tests run haproxy with their config only.
  { systemctl stop haproxy || service haproxy stop || true; } >/dev/null 2>&1
fi

if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] && [ ! -x /usr/bin/chromium ]; then
  echo "=== installing chromium (apt-get)"
  # A failed install is not fatal here: the report suite then fails (CI=true) or skips, and says why.
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ||
    echo "apt-get install chromium failed"
fi

dotnet build OmniTrackIQ.sln -c Release

# OTQ_CLOCK_OFFSET_DAYS=365 runs every test with the collectors' pinned clock (and the stores' test clocks) moved
# that many days past the instant the test payloads were written for: the proof that no test depends on the day
# it runs (README "Tests"). Test hosts and Node suites read it from the environment.
[ -z "${OTQ_CLOCK_OFFSET_DAYS:-}" ] || echo "=== test clocks moved ${OTQ_CLOCK_OFFSET_DAYS} days on"

log=$(mktemp)
e2e_log=$(mktemp)
e2e_failures=$(mktemp)
server_errors=$(mktemp) # why a server did not start: printed again at the end, since CI shows only the tail
# A test host that dies mid-test leaves the replica chaos test's own cluster (otq-own-cluster-*) running: stop it too.
stop_own_clusters() { for d in "${TMPDIR:-/tmp}"/otq-own-cluster-*; do [ -d "$d" ] && OTQ_CLUSTER_STATE_DIR="$d" tests/cluster/stop.sh; done; return 0; }
stop_servers() { tests/clickhouse/stop.sh || true; tests/cluster/stop.sh || true; tests/redis/stop.sh || true; stop_own_clusters || true; }
trap 'stop_servers >/dev/null 2>&1; rm -f "$log" "$e2e_log" "$e2e_failures" "$server_errors"' EXIT
# A run that was killed (its session ended, kill -9) leaves its state files and dirs behind, which would make the
# start below refuse: each server this script starts is first cleared with its stop script (which signals only a
# process that is still that server).

# The ClickHouse store's tests need a server: a throw-away one (apt-get installs it when missing; data in a temp dir,
# 127.0.0.1 only), stopped on exit. Without it those tests are skipped, and fail with CI=true.
if [ -n "${OTQ_CLICKHOUSE_URL:-}" ]; then
  echo "=== using the ClickHouse server at $OTQ_CLICKHOUSE_URL"
elif tests/clickhouse/stop.sh && clickhouse_url=$(tests/clickhouse/start.sh 2> >(tee -a "$server_errors" >&2)); then
  export OTQ_CLICKHOUSE_URL="$clickhouse_url"
  echo "=== clickhouse-server started at $OTQ_CLICKHOUSE_URL"
else
  echo "=== could not start clickhouse-server: its tests fail with CI=true, else they are skipped" | tee -a "$server_errors"
fi
if [ -n "${OTQ_CLICKHOUSE_CLUSTER_URLS:-}" ]; then
  echo "=== using the ClickHouse cluster at $OTQ_CLICKHOUSE_CLUSTER_URLS"
elif tests/cluster/stop.sh && cluster=$(tests/cluster/start.sh 2> >(tee -a "$server_errors" >&2)); then
  OTQ_CLICKHOUSE_CLUSTER_URLS=$(echo "$cluster" | awk '$1 ~ /^[0-9]+$/ {print $3}' | paste -sd, -)
  export OTQ_CLICKHOUSE_CLUSTER_URLS
  echo "=== ClickHouse cluster (2 shards x 2 replicas, ZooKeeper) started at $OTQ_CLICKHOUSE_CLUSTER_URLS"
else
  echo "=== could not start the ClickHouse cluster: its tests fail with CI=true, else they are skipped" | tee -a "$server_errors"
fi
# Redis (the state ingest nodes share: rate limits, Shopify delivery dedup, the attribution lease), 127.0.0.1 only.
if [ -n "${OTQ_REDIS:-}" ]; then
  echo "=== using the Redis at $OTQ_REDIS"
elif tests/redis/stop.sh && redis=$(tests/redis/start.sh 2> >(tee -a "$server_errors" >&2)); then
  export OTQ_REDIS="$redis"
  echo "=== redis-server started at $OTQ_REDIS"
else
  echo "=== could not start redis-server: its tests fail with CI=true, else they are skipped" | tee -a "$server_errors"
fi
status=0
# Collector.Tests runs last: its chaos tests stop the shared cluster's ZooKeeper, and ClickHouse 18.16's DDL worker can
# come back stuck on a queue task ("Node exists" on the task's shard node; seen in a CI run), after which every
# ON CLUSTER migration waits out its timeout. The store suites' cluster tests run before that can happen.
for project in $(ls tests/*/*.Tests.csproj | grep -v '/OmniTrackIQ.Collector.Tests/') tests/OmniTrackIQ.Collector.Tests/OmniTrackIQ.Collector.Tests.csproj; do
  echo "=== $project"
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee -a "$log" || status=1
done
passed=$(awk '/^ *Passed: *[0-9]+$/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '/^ *Failed: *[0-9]+$/ {s += $2} END {print s + 0}' "$log")

# The Node suites: the snippet's unit tests (sdk-js), the Shopify app's offline checks (shopify-app: theme-check, extension config), then against the built collector the report in headless
# Chromium, the real Segment-spec clients (analytics-node, rudder-sdk-node, analytics.js in Chromium) and the
# snippet end to end in Chromium (tests/sdk-e2e). Each must really run in CI.
for suite in sdk-js shopify-app tests/report-e2e tests/segment-clients tests/sdk-e2e; do
  echo "=== $suite (node --test)"
  if (cd "$suite" && npm ci --no-audit --no-fund --prefer-offline); then
    (cd "$suite" && node --test --test-reporter=tap) 2>&1 | tee "$e2e_log" || status=1
    e2e_passed=$(awk '/^# pass [0-9]+$/ {s += $3} END {print s + 0}' "$e2e_log")
    e2e_failed=$(awk '/^# fail [0-9]+$/ {s += $3} END {print s + 0}' "$e2e_log")
    grep -E '^not ok ' "$e2e_log" | sed "s|^|$suite: |" >> "$e2e_failures" || true
    [ "$e2e_passed" -gt 0 ] || [ "${CI:-}" != true ] || status=1
    passed=$((passed + e2e_passed))
    failed=$((failed + e2e_failed))
  else
    echo "npm ci failed in $suite"
    status=1
    failed=$((failed + 1))
  fi
done

[ "$passed" -gt 0 ] || status=1
# CI shows only the tail of this output: name every failed test again here, next to the count.
if grep -q '^=== could not start' "$server_errors" 2>/dev/null || { [ "$failed" -gt 0 ] && [ -s "$server_errors" ]; }; then
  echo "=== what the server start scripts said"
  tail -n 40 "$server_errors"
fi
if [ "$failed" -gt 0 ]; then
  echo "=== failed tests"
  grep -E '^ *Failed [A-Za-z_]' "$log" || true
  # ... and why each failed (the assertion and the top of its stack), since the full log is not kept.
  echo "=== why (first lines of each failure)"
  awk '/^ *Failed [A-Za-z_]/ {n = 14} n > 0 {print; n--}' "$log" | head -n 150
  cat "$e2e_failures" 2>/dev/null || true
fi
echo "$passed passed, $failed failed"
exit $status

#!/usr/bin/env bash
# The one test command: builds the solution and runs every .NET test project, then the Node suites against
# the built collector (tests/report-e2e: the report in headless Chromium; tests/segment-clients: the real
# Segment-spec clients), then prints one closing line "N passed, N failed" (all suites counted). Exits
# non-zero on any failure.
# Needs the .NET SDK (see global.json), Node 20+ with npm, and Chromium at /usr/bin/chromium: run as root
# on Debian, this script installs Chromium when it is missing. DuckDB is embedded and the crash and
# report tests start the collector themselves. With CI=true a missing Chromium fails the report suite.
# Suites that need servers (ClickHouse, Redis) add their apt-get install / start / stop steps here.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] && [ ! -x /usr/bin/chromium ]; then
  echo "=== installing chromium (apt-get)"
  # A failed install is not fatal here: the report suite then fails (CI=true) or skips, and says why.
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ||
    echo "apt-get install chromium failed"
fi

dotnet build OmniTrackIQ.sln -c Release

# OTQ_FAKE_DATE="2031-12-01 09:00:00" runs every test (not the build) with the wall clock moved to that
# instant and running on from there (libfaketime, Debian package faketime): the proof that no test depends
# on the day it runs. The clock is moved inside the .NET test hosts (through a runsettings file, so the
# runner's own connection timeouts keep the real clock) and the collectors they start, and inside the Node
# suites and their collectors; Chromium itself hangs under libfaketime, so the browsers keep the real clock.
# Monotonic clocks are left alone so timers and timeouts behave.
test_settings=()
fake_env=()
if [ -n "${OTQ_FAKE_DATE:-}" ]; then
  faketime_lib=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
  if [ -z "$faketime_lib" ] && [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
    faketime_lib=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 | head -n 1)
  fi
  [ -n "$faketime_lib" ] || { echo "OTQ_FAKE_DATE needs libfaketime (apt-get install faketime)"; exit 1; }
  runsettings=$(mktemp --suffix=.runsettings)
  cat > "$runsettings" <<SETTINGS
<RunSettings><RunConfiguration><EnvironmentVariables>
<LD_PRELOAD>$faketime_lib</LD_PRELOAD><FAKETIME>@$OTQ_FAKE_DATE</FAKETIME><FAKETIME_DONT_FAKE_MONOTONIC>1</FAKETIME_DONT_FAKE_MONOTONIC>
<OTQ_EXPECT_WALL_YEAR>${OTQ_FAKE_DATE:0:4}</OTQ_EXPECT_WALL_YEAR>
</EnvironmentVariables></RunConfiguration></RunSettings>
SETTINGS
  test_settings=(--settings "$runsettings")
  fake_env=(env "LD_PRELOAD=$faketime_lib" "FAKETIME=@$OTQ_FAKE_DATE" FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_SKIP_CMDS=chromium "OTQ_EXPECT_WALL_YEAR=${OTQ_FAKE_DATE:0:4}")
  echo "=== tests run with the wall clock moved to $OTQ_FAKE_DATE"
fi

log=$(mktemp)
e2e_log=$(mktemp)
trap 'rm -f "$log" "$e2e_log"' EXIT
status=0
for project in tests/*/*.Tests.csproj; do
  echo "=== $project"
  dotnet test "$project" -c Release --no-build "${test_settings[@]}" --logger "console;verbosity=normal" 2>&1 | tee -a "$log" || status=1
done
passed=$(awk '/^ *Passed: *[0-9]+$/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '/^ *Failed: *[0-9]+$/ {s += $2} END {print s + 0}' "$log")

# The Node suites: the snippet's unit tests (sdk-js), then against the built collector the report in headless
# Chromium, the real Segment-spec clients (analytics-node, rudder-sdk-node, analytics.js in Chromium) and the
# snippet end to end in Chromium (tests/sdk-e2e). Each must really run in CI.
for suite in sdk-js tests/report-e2e tests/segment-clients tests/sdk-e2e; do
  echo "=== $suite (node --test)"
  if (cd "$suite" && npm ci --no-audit --no-fund --prefer-offline); then
    (cd "$suite" && "${fake_env[@]}" node --test --test-reporter=tap) 2>&1 | tee "$e2e_log" || status=1
    e2e_passed=$(awk '/^# pass [0-9]+$/ {s += $3} END {print s + 0}' "$e2e_log")
    e2e_failed=$(awk '/^# fail [0-9]+$/ {s += $3} END {print s + 0}' "$e2e_log")
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
echo "$passed passed, $failed failed"
exit $status

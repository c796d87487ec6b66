#!/usr/bin/env bash
# The one test command: builds the solution and runs every .NET test project, then prints one
# closing line "N passed, N failed".
# Needs only the .NET SDK (see global.json). No external server is needed yet: DuckDB is embedded and
# the crash test starts the collector itself. Suites that need servers (ClickHouse, Redis, Chromium)
# add their apt-get install / start / stop steps here when they land.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build OmniTrackIQ.sln -c Release
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for project in tests/*/*.Tests.csproj; do
  echo "=== $project"
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee -a "$log" || status=1
done
passed=$(awk '/^ *Passed: *[0-9]+$/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '/^ *Failed: *[0-9]+$/ {s += $2} END {print s + 0}' "$log")
[ "$passed" -gt 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status

#!/usr/bin/env bash
# The one test command: builds the solution and runs every .NET test project.
# Needs only the .NET SDK (see global.json). Servers: none yet — the embedded DuckDB store runs in
# process and the crash test starts the collector itself. Later server-backed suites (ClickHouse,
# Redis, Chromium) add their install/start/stop steps here.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build OmniTrackIQ.sln -c Release
status=0
for project in tests/*/*.Tests.csproj; do
  echo "=== $project"
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" || status=1
done
exit $status

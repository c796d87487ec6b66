#!/usr/bin/env bash
# One batch-ingest load run against a freshly started collector, for before/after comparisons.
# usage (from the repository root): bench/run-batch.sh [checkout dir, default .] [extra LoadGen args, e.g. --gzip true]
# The checkout's collector must be built (dotnet build <dir>/collector -c Release); so must this repo's LoadGen
# (dotnet build bench/OmniTrackIQ.LoadGen -c Release). The workspace has no rate limit: the run measures ingest.
# OTQ_BENCH_PORT (default 8090) is the collector's port, for when another run holds 8090.
set -u
port=${OTQ_BENCH_PORT:-8090}
checkout=${1:-.}
[ $# -gt 0 ] && shift
data=$(mktemp -d)
(cd "$checkout/collector" && exec dotnet bin/Release/net10.0/linux-x64/OmniTrackIQ.Collector.dll \
  --OmniTrack:DataDirectory="$data" --urls http://127.0.0.1:$port \
  --OmniTrack:Workspaces:0:Id bench --OmniTrack:Workspaces:0:WriteKey wk_bench --OmniTrack:Workspaces:0:EventsPerSecond 0 \
  --OmniTrack:Attribution:IntervalSeconds 0 > "$data/collector.log" 2>&1) &
pid=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$port/healthz > /dev/null && break; sleep 0.2; done
dotnet run -c Release --no-build --project bench/OmniTrackIQ.LoadGen -- --url http://127.0.0.1:$port --write-key wk_bench \
  --duration 10s --warmup 2s --connections 64 --batch 20 "$@"
kill "$pid"; wait "$pid" 2> /dev/null
rm -rf "$data"

#!/usr/bin/env bash
# One batch-ingest load run against a freshly started collector, for before/after comparisons.
# usage (from the repository root): bench/run-batch.sh [checkout dir, default .] [extra LoadGen args, e.g. --gzip true]
# The checkout's collector must be built (dotnet build <dir>/collector -c Release); so must this repo's LoadGen
# (dotnet build bench/OmniTrackIQ.LoadGen -c Release). The workspace has no rate limit: the run measures ingest.
# OTQ_BENCH_EVENTS_PER_SECOND gives it one (so the limiter's path runs; set it far above the load); the collector
# inherits the environment, e.g. OmniTrack__Redis__Configuration=127.0.0.1:16390 for a run with Redis.
# OTQ_BENCH_PORT (8090) is the collector's port. OTQ_BENCH_PRELOAD (e.g. 20s): an unmeasured load of that length first,
# so the measured run sees a warm process (the JIT's tier-up of the hot paths done) and CPU and events count after it.
set -u
checkout=${1:-.}
[ $# -gt 0 ] && shift
data=$(mktemp -d)
(cd "$checkout/collector" && exec dotnet bin/Release/net10.0/linux-x64/OmniTrackIQ.Collector.dll \
  --OmniTrack:DataDirectory="$data" --urls "http://127.0.0.1:${OTQ_BENCH_PORT:-8090}" \
  --OmniTrack:Workspaces:0:Id bench --OmniTrack:Workspaces:0:WriteKey wk_bench --OmniTrack:Workspaces:0:EventsPerSecond "${OTQ_BENCH_EVENTS_PER_SECOND:-0}" \
  --OmniTrack:Attribution:IntervalSeconds 0 > "$data/collector.log" 2>&1) &
pid=$!
# Load starts once the node is ready for it, as behind the load balancer (haproxy checks /readyz/ingest): with Redis that
# includes the Redis warm-up (session 12); a checkout without it is ready as soon as its spool is.
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:${OTQ_BENCH_PORT:-8090}/readyz/ingest" > /dev/null && break; sleep 0.2; done
# OTQ_BENCH_REDIS_RESET (host:port, set by bench/redis-cost.sh): Redis's command counts start now, after the warm-up's.
[ -n "${OTQ_BENCH_REDIS_RESET:-}" ] && redis-cli -h "${OTQ_BENCH_REDIS_RESET%:*}" -p "${OTQ_BENCH_REDIS_RESET##*:}" config resetstat > /dev/null
metric() { curl -s "http://127.0.0.1:${OTQ_BENCH_PORT:-8090}/metrics" | sed -n 's/^otq_events_accepted_total\({[^}]*}\)\{0,1\} \([0-9]*\).*/\2/p'; }
if [ -n "${OTQ_BENCH_PRELOAD:-}" ]; then
  dotnet run -c Release --no-build --project bench/OmniTrackIQ.LoadGen -- --url "http://127.0.0.1:${OTQ_BENCH_PORT:-8090}" --write-key wk_bench \
    --duration "$OTQ_BENCH_PRELOAD" --connections 64 --batch 20 "$@" > /dev/null 2>&1
fi
preloaded=$(metric)
started=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2> /dev/null)
dotnet run -c Release --no-build --project bench/OmniTrackIQ.LoadGen -- --url "http://127.0.0.1:${OTQ_BENCH_PORT:-8090}" --write-key wk_bench \
  --duration 10s --warmup 2s --connections 64 --batch 20 "$@"
# What the load cost the collector: its CPU seconds after start (user + system, from /proc) and everything it acknowledged
# (warm-up included), so a comparison can be made per event when the machine is too noisy for events/s alone.
ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2> /dev/null)
accepted=$(metric)
[ -n "$accepted" ] && accepted=$((accepted - ${preloaded:-0}))
echo "collector: cpu_s=$(awk -v t="$(( ${ticks:-0} - ${started:-0} ))" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}') accepted_total=${accepted:-?}"
kill "$pid"; wait "$pid" 2> /dev/null
rm -rf "$data"

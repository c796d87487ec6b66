#!/usr/bin/env bash
# The collector's CPU per acknowledged event on one ingest path, in windows of the same load, for before/after
# comparisons on shared cores (where events/s swings with the load average and CPU per event does not).
# usage (from the repository root): bench/cpu-per-event.sh batch|pixel [checkout dir, default .] [seconds per window, 15] [windows, 3]
# batch: LoadGen, 64 connections x 20 page views (as bench/run-batch.sh); pixel: wrk -t2 -c64 on GET /p.gif (as
# bench/throughput.sh's pixel part). One load runs for windows x seconds; at each window's end the collector's CPU
# (user + system, every thread, from /proc: the sink's DuckDB writes and the JIT included) and otq_events_accepted_total
# are read, and each window prints µs of CPU per event and events per CPU-second beside its rate and the load average.
# The first window holds the JIT's tier-up; the later ones show the steady state. The collector inherits the
# environment (a DOTNET_ setting to try on the same binaries); OTQ_BENCH_COLLECTOR_ARGS adds arguments.
# OTQ_BENCH_PORT (8090) is the collector's port. Needs the checkout's collector and this repo's (or the checkout's) LoadGen built (Release), wrk.
set -u
mode=${1:?batch or pixel}
checkout=${2:-.}
seconds=${3:-15}
windows=${4:-3}
port=${OTQ_BENCH_PORT:-8090}
tfm=bin/Release/net10.0/linux-x64
loadGen=bench/OmniTrackIQ.LoadGen/$tfm/OmniTrackIQ.LoadGen.dll
read -r -a collectorArgs <<< "${OTQ_BENCH_COLLECTOR_ARGS:-}"
[ -f "$loadGen" ] || loadGen=$checkout/$loadGen
[ -f "$loadGen" ] || { echo "build bench/OmniTrackIQ.LoadGen -c Release first"; exit 1; }
data=$(mktemp -d)
pushd "$checkout/collector/$tfm" > /dev/null || exit 1
dotnet OmniTrackIQ.Collector.dll --OmniTrack:DataDirectory="$data" --urls "http://127.0.0.1:$port" \
  --OmniTrack:Workspaces:0:Id bench --OmniTrack:Workspaces:0:WriteKey wk_bench --OmniTrack:Workspaces:0:EventsPerSecond 0 \
  --OmniTrack:Attribution:IntervalSeconds 0 "${collectorArgs[@]}" > "$data/collector.log" 2>&1 &
pid=$!
popd > /dev/null || exit 1
load=
cleanup() { [ -n "$load" ] && kill "$load" 2> /dev/null; kill "$pid" 2> /dev/null; wait "$pid" 2> /dev/null; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/readyz/ingest" > /dev/null && break; sleep 0.2; done
accepted() { curl -s "http://127.0.0.1:$port/metrics" | awk '{k=$1; sub(/\{.*/, "", k)} k=="otq_events_accepted_total"{s+=$NF} END{printf "%d\n", s}'; }
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
total=$((seconds * windows + 5))
if [ "$mode" = batch ]; then
  dotnet "$loadGen" --url "http://127.0.0.1:$port" --write-key wk_bench --duration "${total}s" --warmup 0s --connections 64 --batch 20 > "$data/load.txt" 2>&1 &
else
  wrk -t2 -c64 -d"${total}s" --latency "http://127.0.0.1:$port/p.gif?wk=wk_bench&mid=m1&aid=a1&url=https%3A%2F%2Fshop.example%2F" > "$data/load.txt" 2>&1 &
fi
load=$!
echo "== $mode on $checkout ($(git -C "$checkout" rev-parse --short HEAD 2> /dev/null || cat "$checkout/COMMIT" 2> /dev/null | cut -c1-7)), ${DOTNET_TieredPGO:+DOTNET_TieredPGO=$DOTNET_TieredPGO }${OTQ_BENCH_COLLECTOR_ARGS:-}windows of $seconds s"
t0=$(ticks); a0=$(accepted); s0=$(date +%s.%N)
for w in $(seq 1 "$windows"); do
  sleep "$seconds"
  t1=$(ticks); a1=$(accepted); s1=$(date +%s.%N)
  awk -v w="$w" -v dt="$((t1 - t0))" -v da="$((a1 - a0))" -v hz="$hz" -v wall="$(echo "$s1 - $s0" | bc)" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { cpu = dt / hz; printf "   window %d: %d events in %.1f s = %d/s; collector CPU %.2f s = %.1f us/event = %d events per CPU-second; load %s\n", w, da, wall, da / wall, cpu, (da > 0 ? cpu * 1e6 / da : 0), (cpu > 0 ? da / cpu : 0), la }'
  t0=$t1; a0=$a1; s0=$s1
done
kill "$load" 2> /dev/null; wait "$load" 2> /dev/null; load=
grep -E "latency ms|^ +99%|Non-2xx" "$data/load.txt" | sed 's/^ */   /'
echo "   collector peak RSS (VmHWM): $(awk '/VmHWM/{print int($2/1024)}' "/proc/$pid/status") MB"

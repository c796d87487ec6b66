#!/usr/bin/env bash
# Issue 12: end-to-end batch ingest through a fresh collector on one store, as bench/run-batch.sh (64 connections x 20
# page views, 2 s warm-up, 10 s measured), plus RSS sampling and drain lag. From the repository root, collector and
# LoadGen built in Release:  bench/clickhouse/e2e.sh duckdb|clickhouse [database, default otq_bench_e2e]
# Prints LoadGen's result, accepted vs stored at the end of the load and after up to 60 s of drain, and collector RSS.
set -u
store=$1 db=${2:-otq_bench_e2e}
ch=http://127.0.0.1:8123/
data=$(mktemp -d)
storeArgs=()
if [ "$store" = clickhouse ]; then
  curl -sf "$ch" --data-binary "DROP DATABASE IF EXISTS $db" > /dev/null
  storeArgs=(--OmniTrack:Store ClickHouse --OmniTrack:ClickHouse:ConnectionString "Host=127.0.0.1;Port=8123;Database=$db")
fi
(cd collector && exec dotnet bin/Release/net10.0/linux-x64/OmniTrackIQ.Collector.dll \
  --OmniTrack:DataDirectory="$data" --urls http://127.0.0.1:8093 "${storeArgs[@]}" \
  --OmniTrack:Workspaces:0:Id bench --OmniTrack:Workspaces:0:WriteKey wk_bench --OmniTrack:Workspaces:0:EventsPerSecond 0 \
  --OmniTrack:Attribution:IntervalSeconds 0 > "$data/collector.log" 2>&1) &
pid=$!
for _ in $(seq 1 150); do curl -sf http://127.0.0.1:8093/readyz > /dev/null && break; sleep 0.2; done
metric() { curl -s http://127.0.0.1:8093/metrics | awk -v n="$1" '$1==n{print $2}'; }
stored() { echo $(( $(metric otq_store_rows_written_total) + $(metric otq_store_rows_deduplicated_total) )); }
(while kill -0 "$pid" 2>/dev/null; do awk '/VmRSS/{print int($2/1024)}' /proc/$pid/status 2>/dev/null; sleep 0.5; done) > "$data/rss" &
sampler=$!
dotnet bench/OmniTrackIQ.LoadGen/bin/Release/net10.0/linux-x64/OmniTrackIQ.LoadGen.dll --url http://127.0.0.1:8093 --write-key wk_bench \
  --duration 10s --warmup 2s --connections 64 --batch 20
accepted=$(metric otq_events_accepted_total); s=$(stored)
loadRss=$(cat "$data/rss" | sort -n | tail -1)
echo "end of load: accepted=$accepted stored=$s lag=$((accepted - s)) ($(( 100 * (accepted - s) / accepted ))%) peakRSS(load)=${loadRss}MB"
start=$(date +%s.%N)
for _ in $(seq 1 240); do s=$(stored); [ "$s" -ge "$accepted" ] && break; sleep 0.25; done
echo "drained: stored=$s of $accepted after $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s; write errors $(metric otq_store_write_errors_total)"
[ "$store" = clickhouse ] && echo "count() in $db.events: $(curl -sf "$ch" --data-binary "SELECT count() FROM $db.events")"
echo "collector RSS MB: samples $(wc -l < "$data/rss"), peak $(sort -n "$data/rss" | tail -1), median $(sort -n "$data/rss" | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'), VmHWM $(awk '/VmHWM/{print int($2/1024)}' /proc/$pid/status)"
kill "$pid"; wait "$pid" 2>/dev/null; kill "$sampler" 2>/dev/null
[ "$store" = clickhouse ] && curl -sf "$ch" --data-binary "DROP DATABASE IF EXISTS $db" > /dev/null
rm -rf "$data"

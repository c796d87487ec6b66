#!/usr/bin/env bash
# Issue 12: sink drain rate of a spool backlog into ClickHouse (bench/RESULTS.md "ClickHouse store (issue 12)").
# From the repository root, collector and LoadGen built in Release.
#   bench/clickhouse/drain.sh fill  <work dir> <duration, e.g. 6s>  collector on ClickHouse at a port nobody listens on (the sink
#                                                         waits), LoadGen for <duration, e.g. 6s>, SIGTERM; the untouched spool is
#                                                         kept as <work dir>/spool.orig (its events count in <work dir>/accepted)
#   bench/clickhouse/drain.sh drain <work dir> <database> copy of spool.orig in a fresh data dir, collector on the real
#                                                         server, polls SELECT count() FROM <database>.events every 0.25 s
#                                                         until it reaches the accepted count; RSS sampled every 0.25 s
set -u
mode=$1 work=$2
ch=http://127.0.0.1:8123/
collector() { # data dir, connection string, log
  (cd collector && exec dotnet bin/Release/net10.0/linux-x64/OmniTrackIQ.Collector.dll \
    --OmniTrack:DataDirectory="$1" --urls http://127.0.0.1:8092 --OmniTrack:Store ClickHouse \
    --OmniTrack:ClickHouse:ConnectionString "$2" --OmniTrack:Spool:MaxBytes 4294967296 \
    --OmniTrack:Workspaces:0:Id bench --OmniTrack:Workspaces:0:WriteKey wk_bench --OmniTrack:Workspaces:0:EventsPerSecond 0 \
    --OmniTrack:Attribution:IntervalSeconds 0 > "$3" 2>&1) &
}
now() { date +%s.%N; }
case $mode in
fill)
  mkdir -p "$work"; data="$work/fill"; rm -rf "$data"; mkdir -p "$data"
  collector "$data" "Host=127.0.0.1;Port=1;Database=otq_bench_nowhere" "$work/fill.log"; pid=$!
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:8092/healthz > /dev/null && break; sleep 0.2; done
  dotnet bench/OmniTrackIQ.LoadGen/bin/Release/net10.0/linux-x64/OmniTrackIQ.LoadGen.dll --url http://127.0.0.1:8092 \
    --write-key wk_bench --duration "$3" --connections 32 --batch 20 | tee "$work/fill.loadgen"
  curl -s http://127.0.0.1:8092/metrics | grep -E '^otq_(events_accepted_total|store_rows_written_total|spool_bytes) ' | tee "$work/fill.metrics"
  awk '$1=="otq_events_accepted_total"{print $2}' "$work/fill.metrics" > "$work/accepted"
  pkill_pid=$(pgrep -P "$pid" -f OmniTrackIQ.Collector.dll || echo "$pid"); kill "$pid" $pkill_pid 2>/dev/null; wait "$pid" 2>/dev/null
  sleep 2
  rm -rf "$work/spool.orig"; cp -a "$data/spool" "$work/spool.orig"; du -sh "$work/spool.orig"; rm -rf "$data"
  ;;
drain)
  db=$3; n=$(cat "$work/accepted")
  curl -sf "$ch" --data-binary "DROP DATABASE IF EXISTS $db" > /dev/null
  data="$work/drain-$db"; rm -rf "$data"; mkdir -p "$data"; cp -a "$work/spool.orig" "$data/spool"
  t0=$(now)
  collector "$data" "Host=127.0.0.1;Port=8123;Database=$db" "$work/drain-$db.log"; pid=$!
  sleep 0.5; cpid=$(pgrep -P "$pid" -f OmniTrackIQ.Collector.dll || echo "$pid")
  first=""; : > "$work/drain-$db.rss"
  while true; do
    c=$(curl -sf "$ch" --data-binary "SELECT count() FROM $db.events" 2>/dev/null || echo 0)
    t=$(now)
    rss=$(awk '/VmRSS/{print int($2/1024)}' /proc/$cpid/status 2>/dev/null || echo 0)
    echo "$(echo "$t - $t0" | bc) $c $rss" >> "$work/drain-$db.rss"
    [ -z "$first" ] && [ "$c" -gt 0 ] && first=$t
    [ "$c" -ge "$n" ] && break
    kill -0 "$cpid" 2>/dev/null || { echo "collector exited"; break; }
    sleep 0.25
  done
  t1=$(now)
  hwm=$(awk '/VmHWM/{print int($2/1024)}' /proc/$cpid/status)
  curl -s http://127.0.0.1:8092/metrics | grep -E '^otq_(store_rows_written_total|store_rows_deduplicated_total|store_write_errors_total|spool_records_replayed_total) '
  echo "rows=$c target=$n start->all=$(echo "$t1 - $t0" | bc)s first_row->all=$(echo "$t1 - $first" | bc)s rows/s(first->all)=$(echo "$n / ($t1 - $first)" | bc) VmHWM=${hwm}MB"
  kill "$cpid"; wait "$pid" 2>/dev/null
  rm -rf "$data"
  ;;
esac

#!/usr/bin/env bash
# Issue 16: sustained throughput, each figure beside its baseline from the same run.
#   (a) DuckDB:     N s of batch load (LoadGen, 64 connections x 20 page views), then the wait until everything
#                   acknowledged is stored -> stored events/s end to end beside acknowledged events/s.
#   (b) ClickHouse: the same, when OTQ_CLICKHOUSE_URL is set (a private database, dropped after).
#   (c) Pixel:      the same wrk command against the collector's GET /p.gif and against bare Kestrel answering the
#                   same GIF (bench/OmniTrackIQ.BareGif), alternated twice, ratio printed.
# usage (from the repository root):  bench/throughput.sh [seconds, default 60] [checkout whose collector is measured, default .]
#   OTQ_BENCH_PARTS="duckdb clickhouse pixel" picks the parts; OTQ_BENCH_PIXEL_SECONDS (default 10) is each wrk run.
#   OTQ_BENCH_COLLECTOR_ARGS adds arguments to every collector it starts (a setting to try, e.g.
#   "--OmniTrack:DuckDb:MemoryLimit 128MB"); OTQ_BENCH_PORT (default 8093) moves its ports (that, +1 and +4).
# Memory: the collector's peak VmRSS sampled every 0.5 s, split into anonymous memory (heaps: the GC's, DuckDB's) and
# mapped files (RssAnon/RssFile at that sample), and the kernel's high-water mark VmHWM.
# Builds (Release) only what is missing: the checkout's collector, LoadGen, BareGif. Loopback ports 8093/8094/8097 by default;
# every process it starts is stopped by its pid on exit. Needs curl, wrk (apt-get install wrk), awk, bc.
set -u
seconds=${1:-60}
checkout=${2:-.}
parts=${OTQ_BENCH_PARTS:-duckdb clickhouse pixel}
pixelSeconds=${OTQ_BENCH_PIXEL_SECONDS:-10}
basePort=${OTQ_BENCH_PORT:-8093}
read -r -a collectorArgs <<< "${OTQ_BENCH_COLLECTOR_ARGS:-}"
tfm=bin/Release/net10.0/linux-x64
collectorDir="$checkout/collector/$tfm"
loadGen=bench/OmniTrackIQ.LoadGen/$tfm/OmniTrackIQ.LoadGen.dll
bareGif=bench/OmniTrackIQ.BareGif/$tfm/OmniTrackIQ.BareGif.dll
readToken=rt_bench_throughput
readTokenSha=$(printf %s "$readToken" | sha256sum | cut -d' ' -f1)

[ -f "$collectorDir/OmniTrackIQ.Collector.dll" ] || dotnet build "$checkout/collector" -c Release -v q > /dev/null || exit 1
[ -f "$loadGen" ] || dotnet build bench/OmniTrackIQ.LoadGen -c Release -v q > /dev/null || exit 1
[ -f "$bareGif" ] || dotnet build bench/OmniTrackIQ.BareGif -c Release -v q > /dev/null || exit 1

pids=()
scratch=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null && wait "$p" 2> /dev/null; done
  for d in "${scratch[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
calc() { printf "%.3f" "$(echo "scale=6; $1" | bc)"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# start_collector PORT DATA [extra args...]: runs the checkout's collector on loopback, sets $collector to its pid.
start_collector() {
  local port=$1 data=$2; shift 2
  # Started from its own folder (the content root holds appsettings.json) without a subshell, so $! is the collector itself.
  pushd "$collectorDir" > /dev/null || return 1
  dotnet OmniTrackIQ.Collector.dll --OmniTrack:DataDirectory="$data" --urls "http://127.0.0.1:$port" \
    --OmniTrack:Workspaces:0:Id bench --OmniTrack:Workspaces:0:WriteKey wk_bench --OmniTrack:Workspaces:0:EventsPerSecond 0 \
    --OmniTrack:Workspaces:0:ReadTokenSha256:0 "$readTokenSha" --OmniTrack:Attribution:IntervalSeconds 0 "$@" "${collectorArgs[@]}" \
    > "$data/collector.log" 2>&1 &
  collector=$!
  popd > /dev/null || return 1
  pids+=("$collector")
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && return 0; sleep 0.2; done
  echo "collector on :$port did not become ready; log:"; tail -20 "$data/collector.log"; return 1
}

stop() { kill "$1" 2> /dev/null; wait "$1" 2> /dev/null; }

# batch STORE [collector args...]: one sustained load and drain; prints one summary line per figure.
batch() {
  local store=$1; shift
  local data port=$basePort
  data=$(mktemp -d); scratch+=("$data")
  start_collector "$port" "$data" "$@" || return 1
  local url="http://127.0.0.1:$port"
  # The sum over every label set (workspace, route, ...) of one metric, as a whole number.
  metric() { curl -s "$url/metrics" | awk -v n="$1" '{k=$1; sub(/\{.*/, "", k)} k==n{s+=$NF} END{printf "%d\n", s}'; }
  stored() { echo $(( $(metric otq_store_rows_written_total) + $(metric otq_store_rows_deduplicated_total) )); }
  # One line a sample: VmRSS, RssAnon, RssFile (MB).
  (while kill -0 "$collector" 2> /dev/null; do
     awk '/^(VmRSS|RssAnon|RssFile):/{v[$1]=int($2/1024)} END{if ("VmRSS:" in v) print v["VmRSS:"], v["RssAnon:"], v["RssFile:"]}' "/proc/$collector/status" 2> /dev/null
     sleep 0.5; done) > "$data/rss" &
  local sampler=$!
  pids+=("$sampler")

  echo "== $store: $seconds s of batch load (64 connections x 20 events), load average before: $(load)"
  local t0 t1 t2 accepted s
  t0=$(now)
  dotnet "$loadGen" --url "$url" --write-key wk_bench --duration "${seconds}s" --warmup 2s --connections 64 --batch 20 > "$data/loadgen.txt"
  t1=$(now)
  accepted=$(metric otq_events_accepted_total)
  local storedAtEnd; storedAtEnd=$(stored)
  # Drain: poll every 0.1 s, for at most 10 minutes.
  for _ in $(seq 1 6000); do s=$(stored); [ "$s" -ge "$accepted" ] && break; sleep 0.1; done
  t2=$(now)
  local loadS drainS total
  loadS=$(calc "$t1 - $t0"); drainS=$(calc "$t2 - $t1"); total=$(calc "$t2 - $t0")
  sed 's/^/   loadgen: /' "$data/loadgen.txt"
  local statsTotal
  statsTotal=$(curl -s -H "Authorization: Bearer $readToken" "$url/v1/events/stats" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
  echo "   acknowledged:  $accepted events in $loadS s = $(calc "$accepted / $loadS" | cut -d. -f1) events/s (LoadGen wall time incl. warm-up)"
  echo "   stored at load end: $storedAtEnd ($(( accepted - storedAtEnd )) behind); all stored $drainS s after the load ended (drain alone: $(calc "($s - $storedAtEnd) / $drainS" | cut -d. -f1) events/s)"
  echo "   STORED END TO END: $s events in $total s = $(calc "$s / $total" | cut -d. -f1) events/s = $(calc "($s / $total) / ($accepted / $loadS)") x acknowledged"
  # The collector's CPU time (user + system, every thread: ours and DuckDB's) per 1,000 events: on shared cores it moves
  # far less with the load average than the rates above do.
  local cpuS; cpuS=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$collector/stat")
  echo "   collector CPU: $cpuS s = $(calc "$cpuS * 1000000 / $s") ms per 1,000 events stored"
  echo "   GET /v1/events/stats total=$statsTotal (accepted $accepted); write errors $(metric otq_store_write_errors_total); peak RSS $(sort -n "$data/rss" | tail -1 | awk '{print $1 " MB (anon " $2 ", files " $3 ")"}'), VmHWM $(awk '/VmHWM/{print int($2/1024)}' "/proc/$collector/status") MB; load average after: $(load)"
  stop "$collector"; stop "$sampler"
}

pixel() {
  local data; data=$(mktemp -d); scratch+=("$data")
  local port=$((basePort + 1)) barePort=$((basePort + 4))
  start_collector "$port" "$data" || return 1
  dotnet "$bareGif" --urls "http://127.0.0.1:$barePort" > "$data/baregif.log" 2>&1 &
  local bare=$!
  pids+=("$bare")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$barePort/p.gif" > /dev/null && break; sleep 0.2; done
  local collectorUrl="http://127.0.0.1:$port/p.gif?wk=wk_bench&mid=m1&aid=a1&url=https%3A%2F%2Fshop.example%2F"
  local bareUrl="http://127.0.0.1:$barePort/p.gif"
  [ "$(curl -s "$collectorUrl" | wc -c)" = 43 ] && [ "$(curl -s "$bareUrl" | wc -c)" = 43 ] || { echo "a pixel did not answer 43 bytes"; return 1; }
  echo "== pixel: wrk -t2 -c64 -d${pixelSeconds}s, bare Kestrel and collector alternated twice (2 s warm-up each), load average before: $(load)"
  rps() { wrk -t2 -c64 -d"${pixelSeconds}s" --latency "$1" | tee -a "$data/wrk.txt" | awk '/Requests\/sec/{print $2}'; }
  wrk -t2 -c64 -d2s "$bareUrl" > /dev/null; wrk -t2 -c64 -d2s "$collectorUrl" > /dev/null
  local b1 c1 b2 c2
  b1=$(rps "$bareUrl"); c1=$(rps "$collectorUrl"); b2=$(rps "$bareUrl"); c2=$(rps "$collectorUrl")
  echo "   bare Kestrel: $b1 / $b2 req/s;  collector: $c1 / $c2 req/s"
  grep -E "^ +99%|Non-2xx" "$data/wrk.txt" | sed 's/^ */   wrk (bare, collector, bare, collector): /'
  echo "   PIXEL: $(calc "($c1 + $c2) / ($b1 + $b2)") x bare Kestrel (run 1: $(calc "$c1 / $b1"), run 2: $(calc "$c2 / $b2")); collector VmHWM $(awk '/VmHWM/{print int($2/1024)}' "/proc/$collector/status") MB; load average after: $(load)"
  stop "$bare"; stop "$collector"
}

echo "bench/throughput.sh: collector of $checkout ($(git -C "$checkout" rev-parse --short HEAD 2> /dev/null || cat "$checkout/COMMIT" 2> /dev/null)), $(nproc) cores, $(date -u +%FT%TZ)"
for part in $parts; do
  case $part in
    duckdb) batch duckdb ;;
    clickhouse)
      if [ -z "${OTQ_CLICKHOUSE_URL:-}" ]; then echo "== clickhouse: skipped (OTQ_CLICKHOUSE_URL is not set)"; continue; fi
      hostPort=${OTQ_CLICKHOUSE_URL#*://}; hostPort=${hostPort%%/*}
      db=otq_bench_throughput_$$
      batch clickhouse --OmniTrack:Store ClickHouse --OmniTrack:ClickHouse:ConnectionString "Host=${hostPort%:*};Port=${hostPort##*:};Database=$db"
      echo "   count() in $db.events: $(curl -s "$OTQ_CLICKHOUSE_URL" --data-binary "SELECT count() FROM $db.events")"
      curl -s "$OTQ_CLICKHOUSE_URL" --data-binary "DROP DATABASE IF EXISTS $db" > /dev/null ;;
    pixel) pixel ;;
    *) echo "unknown part $part (duckdb, clickhouse, pixel)"; exit 2 ;;
  esac
done

#!/usr/bin/env bash
# Issue 17: what the Redis calls on the batch path cost. Alternating pairs of bench/run-batch.sh runs (a fresh
# collector each, 10 s, 64 connections x 20 events), without Redis and with it (the order swaps every pair), the
# workspace rate-limited far above the load in both so the limiter runs (in process, or one script in Redis).
# For each run with Redis: Redis's own command counts (INFO commandstats, reset before the run) per batch.
# usage (repository root, collector and LoadGen built in Release): bench/redis-cost.sh [pairs, default 5]
# Env: OTQ_BENCH_REDIS (127.0.0.1:16390), a redis-server of the bench's own, so other users' commands are not counted.
# OTQ_BENCH_REDIS_TIMEOUT (1 s): the calls are measured, not their fallback (on a busy box the 25 ms default times
# out and opens the breaker, and the run then measures the in-process forms).
set -u
pairs=${1:-5}
redis=${OTQ_BENCH_REDIS:-127.0.0.1:16390}
rhost=${redis%:*}
rport=${redis##*:}
export OTQ_BENCH_EVENTS_PER_SECOND=${OTQ_BENCH_EVENTS_PER_SECOND:-100000000}
export OTQ_BENCH_PORT=${OTQ_BENCH_PORT:-18797}

run() {
  if ss -ltn | grep -q "127.0.0.1:$OTQ_BENCH_PORT "; then echo "redis-cost.sh: port $OTQ_BENCH_PORT is taken" >&2; exit 1; fi
  local load out rate stats cpu accepted rcpu0 rcpu
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  rcpu0=$(redis_cpu)
  if [ "$1" = with ]; then
    redis-cli -h "$rhost" -p "$rport" config resetstat > /dev/null
    out=$(OmniTrack__Redis__Configuration=$redis OmniTrack__Redis__Timeout=${OTQ_BENCH_REDIS_TIMEOUT:-00:00:01} bash bench/run-batch.sh . 2>&1)
    stats=$(redis-cli -h "$rhost" -p "$rport" info commandstats | tr -d '\r' | sed -n 's/^cmdstat_\([a-z]*\):calls=\([0-9]*\).*/\1=\2/p' | tr '\n' ' ')
  else
    out=$(bash bench/run-batch.sh . 2>&1)
    stats=""
  fi
  rate=$(sed -n 's/.*accepted (\([0-9]*\) events\/s).*/\1/p' <<< "$out")
  cpu=$(sed -n 's/^collector: cpu_s=\([0-9.]*\) .*/\1/p' <<< "$out")
  accepted=$(sed -n 's/^collector: .*accepted_total=\([0-9]*\).*/\1/p' <<< "$out")
  rcpu=$(awk -v a="$rcpu0" -v b="$(redis_cpu)" 'BEGIN {printf "%.2f", b - a}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%H:%M:%S)" "$1" "${rate:-failed}" "$cpu" "$accepted" \
    "$(awk -v c="$cpu" -v n="$accepted" 'BEGIN {if (n > 0) printf "%.1f", c * 1e6 / n}')" "$rcpu" "$load" "$stats"
}

# Redis's own CPU seconds (user + system) so far.
redis_cpu() {
  redis-cli -h "$rhost" -p "$rport" info cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.2f", s}'
}

printf 'time\tredis\tevents/s\tcollector cpu s\taccepted\tcollector cpu us/event\tredis cpu s\tload average\tredis commands (calls)\n'
for i in $(seq 1 "$pairs"); do
  if [ $((i % 2)) -eq 1 ]; then run without; run with; else run with; run without; fi
done

#!/usr/bin/env bash
# Issue 17: what the Redis calls on the batch path cost. Alternating pairs of bench/run-batch.sh runs (a fresh
# collector each, 10 s, 64 connections x 20 events), without Redis and with it (the order swaps every pair), the
# workspace rate-limited far above the load in both so the limiter runs (in process, or one script in Redis).
# For each run with Redis: Redis's own command counts (INFO commandstats, reset once the node is ready: after its warm-up) and the top-level
# commands per batch request (what the collector sends; not what scripts run inside: the rate-limit script's HMGET, HSET
# and PEXPIRE, main a12365f's mark script's SET per event), with requests = accepted events / 20.
# usage (repository root, LoadGen built in Release, each checkout's collector too):
#   bench/redis-cost.sh [pairs, default 5] [checkout ... default .]
# With several checkouts (e.g. /tmp/otq-before10 .) every pair runs each of them without and with Redis, the checkouts'
# order rotating every pair, so a before and an after are measured in the same run.
# Env: OTQ_BENCH_REDIS (127.0.0.1:16390), a redis-server of the bench's own, so other users' commands are not counted.
# OTQ_BENCH_REDIS_TIMEOUT (1 s): the calls are measured, not their fallback (on a busy box the 25 ms default times
# out and opens the breaker, and the run then measures the in-process forms).
# OTQ_BENCH_DURATION (LoadGen's 10 s): longer runs spread the JIT's fixed cost (tier-1 recompiles under load) thinner;
# OTQ_BENCH_PRELOAD (bench/run-batch.sh, e.g. 20s) measures a warm process instead, after an unmeasured load.
# OTQ_BENCH_CONNECTIONS (LoadGen's 64): fewer connections, a load at which neither arm is bound by its requests' waits.
set -u
pairs=${1:-5}
[ $# -gt 0 ] && shift
checkouts=("$@")
[ ${#checkouts[@]} -gt 0 ] || checkouts=(.)
redis=${OTQ_BENCH_REDIS:-127.0.0.1:16390}
rhost=${redis%:*}
rport=${redis##*:}
export OTQ_BENCH_EVENTS_PER_SECOND=${OTQ_BENCH_EVENTS_PER_SECOND:-100000000}
export OTQ_BENCH_PORT=${OTQ_BENCH_PORT:-18797}
batch=20 # bench/run-batch.sh's LoadGen --batch
loadgen=()
[ -n "${OTQ_BENCH_DURATION:-}" ] && loadgen=(--duration "$OTQ_BENCH_DURATION")
[ -n "${OTQ_BENCH_CONNECTIONS:-}" ] && loadgen+=(--connections "$OTQ_BENCH_CONNECTIONS")

# run <checkout> <with|without>
run() {
  if ss -ltn | grep -q "127.0.0.1:$OTQ_BENCH_PORT "; then echo "redis-cost.sh: port $OTQ_BENCH_PORT is taken" >&2; exit 1; fi
  local load out rate stats cpu accepted rcpu0 rcpu calls
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  rcpu0=$(redis_cpu)
  if [ "$2" = with ]; then
    out=$(OTQ_BENCH_REDIS_RESET=$redis OmniTrack__Redis__Configuration=$redis OmniTrack__Redis__Timeout=${OTQ_BENCH_REDIS_TIMEOUT:-00:00:01} bash bench/run-batch.sh "$1" "${loadgen[@]}" 2>&1)
    stats=$(redis-cli -h "$rhost" -p "$rport" info commandstats | tr -d '\r' | sed -n 's/^cmdstat_\([a-z]*\):calls=\([0-9]*\).*/\1=\2/p' | tr '\n' ' ')
  else
    out=$(bash bench/run-batch.sh "$1" "${loadgen[@]}" 2>&1)
    stats=""
  fi
  rate=$(sed -n 's/.*accepted (\([0-9]*\) events\/s).*/\1/p' <<< "$out")
  cpu=$(sed -n 's/^collector: cpu_s=\([0-9.]*\) .*/\1/p' <<< "$out")
  accepted=$(sed -n 's/^collector: .*accepted_total=\([0-9]*\).*/\1/p' <<< "$out")
  rcpu=$(awk -v a="$rcpu0" -v b="$(redis_cpu)" 'BEGIN {printf "%.2f", b - a}')
  # Top-level commands per request: all the batch path's commands less those scripts run inside (each rate-limit script
  # runs one PEXPIRE, one HMGET and one HSET; the old mark script one SET an event). The client sends a many-field HSET
  # as HMSET. With OTQ_BENCH_PRELOAD the counts include the preload and the events do not: use fresh runs for this column.
  calls=$(awk -v s="$stats" -v n="$accepted" -v b="$batch" 'BEGIN {
    split(s, kv, " "); for (i in kv) { split(kv[i], p, "="); c[p[1]] = p[2] }
    t = c["mget"] + c["eval"] + c["evalsha"] + c["hmget"] + c["hset"] + c["hmset"] + c["expire"] + c["set"] + c["pexpire"] - c["set"] - 3 * c["pexpire"]
    if (n > 0) printf "%.3f", t / (n / b) }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%H:%M:%S)" "$1" "$2" "${rate:-failed}" "$cpu" "$accepted" \
    "$(awk -v c="$cpu" -v n="$accepted" 'BEGIN {if (n > 0) printf "%.1f", c * 1e6 / n}')" "$rcpu" "$calls" "$load" "$stats"
}

# Redis's own CPU seconds (user + system) so far.
redis_cpu() {
  redis-cli -h "$rhost" -p "$rport" info cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.2f", s}'
}

printf 'time\tcheckout\tredis\tevents/s\tcollector cpu s\taccepted\tcollector cpu us/event\tredis cpu s\tredis top-level commands/request\tload average\tredis commands (calls)\n'
n=${#checkouts[@]}
for i in $(seq 1 "$pairs"); do
  for j in $(seq 0 $((n - 1))); do
    checkout=${checkouts[$(((i - 1 + j) % n))]}
    if [ $((i % 2)) -eq 1 ]; then run "$checkout" without; run "$checkout" with; else run "$checkout" with; run "$checkout" without; fi
  done
done

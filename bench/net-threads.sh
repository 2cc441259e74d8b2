#!/usr/bin/env bash
# Where the HttpHello server's CPU goes, per thread: starts it at maxprocs 1 on cpu 0, loads it
# with wrk -t1 -c100 on cpu 1, and prints each thread's voluntary and involuntary context
# switches and user and system clock ticks over the measured run (from /proc/PID/task/*).
# Optionally attaches async-profiler (Maven Central: tools.profiler:async-profiler, linux-x64;
# unpack its libasyncProfiler.so) for the same run and writes a collapsed-stack profile.
#
#   bench/net-threads.sh [--seconds S] [--profile /path/libasyncProfiler.so] [--event cpu|alloc]
#
# Needs a build (mvn -DskipTests package), Java 21+ (JAVA25), wrk and taskset. The profiler's
# 'threads' option crashed Java 25 with async-profiler 3.0; this script leaves it out.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECS=5
LIB=""
EVENT=cpu
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) shift; SECS="$1" ;;
    --profile) shift; LIB="$1" ;;
    --event) shift; EVENT="$1" ;;
    *) echo "usage: bench/net-threads.sh [--seconds S] [--profile LIB.so] [--event cpu|alloc]" >&2; exit 2 ;;
  esac
  shift
done
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JCMD="$(dirname "$JAVA25")/jcmd"
OUT="$ROOT/bench/results/net-threads-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
taskset -c 0 "$JAVA25" -Djdk.virtualThreadScheduler.parallelism=1 -javaagent:agent/target/weft-agent.jar \
  -Dweft.maxprocs=1 -cp bench/target/weft-bench.jar dev.weft.samples.HttpHello --listen 127.0.0.1:0 \
  >"$OUT/server.out" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
ADDR=""
for _ in $(seq 1 300); do
  ADDR="$(grep -m1 -o '127\.0\.0\.1:[0-9]\+' "$OUT/server.out" || true)"
  [ -n "$ADDR" ] && break
  sleep 0.1
done
[ -n "$ADDR" ] || { echo "the server did not start (see $OUT/server.out)" >&2; exit 1; }
# Warm-up as bench/net.sh's: short runs that open and close connections first, so that the
# compiled serving loop has seen connections start and end (else the measured run's new
# connections deoptimize it and the compiler works inside the measured seconds), then 3 s.
for _ in 1 2 3 4; do taskset -c 1 wrk -t1 -c100 -d1s "http://$ADDR/" >/dev/null; done
taskset -c 1 wrk -t1 -c100 -d3s "http://$ADDR/" >/dev/null
# jcmd passes the agent's options on only when they are quoted once more.
[ -n "$LIB" ] && "$JCMD" "$PID" JVMTI.agent_load "$LIB" "\"start,event=$EVENT,interval=200000\"" >/dev/null
snap() {
  local t
  for t in /proc/"$PID"/task/*; do
    echo "$(basename "$t") $(tr ' ' _ <"$t/comm") $(awk '/^voluntary_ctxt/ {v = $2} /^nonvoluntary/ {n = $2} END {print v, n}' "$t/status") $(awk '{print $14, $15}' "$t/stat")"
  done | sort
}
snap >"$OUT/before"
taskset -c 1 wrk -t1 -c100 -d"${SECS}s" "http://$ADDR/" >"$OUT/wrk.txt"
snap >"$OUT/after"
[ -n "$LIB" ] && "$JCMD" "$PID" JVMTI.agent_load "$LIB" "\"stop,file=$OUT/profile.collapsed,collapsed\"" >/dev/null
grep -E 'Requests/sec|requests in' "$OUT/wrk.txt"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
join "$OUT/before" "$OUT/after" | awk '{dv = $8 - $3; dn = $9 - $4; du = $10 - $5; ds = $11 - $6
  if (dv + dn + du + ds > 5) printf "%-18s switches: voluntary %7d involuntary %7d  ticks: user %5d system %5d\n", $2, dv, dn, du, ds}'
[ -n "$LIB" ] && echo "profile: $OUT/profile.collapsed"
echo "results in $OUT"

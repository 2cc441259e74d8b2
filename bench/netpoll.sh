#!/usr/bin/env bash
# The network poller's own measurements, behind the choice in docs/net.md:
#  1. requests/s of a minimal keep-alive HTTP responder (bench/netpoll/NetPollBench.java) with the
#     workers polling (the default) and with a dedicated poller thread (-Dweft.netpoll=thread):
#     server at maxprocs 1 on cpu 0, wrk -t1 -c100 on cpu 1, modes interleaved;
#  2. CPU of an idle server holding 10,000 connections (from a child process) over 10 s.
#
#   bench/netpoll.sh [--reps N] [--seconds S]     (needs wrk, taskset; builds nothing: run
#                                                  mvn -o -q package -pl agent,runtime -DskipTests first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPS=2
SECONDS_RUN=10
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) shift; REPS="$1" ;;
    --seconds) shift; SECONDS_RUN="$1" ;;
    *) echo "usage: bench/netpoll.sh [--reps N] [--seconds S]" >&2; exit 2 ;;
  esac
  shift
done
JAVA="${JAVA:-java}"
AGENT="$ROOT/agent/target/weft-agent.jar"
CLASSES="$ROOT/runtime/target/classes"
OUT="$ROOT/bench/target/netpoll"
mkdir -p "$OUT"
javac -d "$OUT" -cp "$CLASSES" bench/netpoll/NetPollBench.java
CP="$CLASSES:$OUT"
PORT=18089

for rep in $(seq 1 "$REPS"); do
  for mode in workers thread; do
    taskset -c 0 "$JAVA" -javaagent:"$AGENT" -Dweft.maxprocs=1 -Dweft.netpoll=$mode -cp "$CP" \
      NetPollBench http $PORT > "$OUT/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do
      grep -q listening "$OUT/server.log" 2>/dev/null && break
      sleep 0.1
    done
    taskset -c 1 wrk -t1 -c100 -d3s "http://127.0.0.1:$PORT/" > /dev/null # warm-up
    # The server's CPU time (user + system, clock ticks) around the measured run: CPU per request
    # holds up on a loaded machine, where requests/s mostly says how much of cpu 0 we were given.
    TICKS0=$(awk '{print $14 + $15}' /proc/$SERVER/stat)
    WRK=$(taskset -c 1 wrk -t1 -c100 -d"${SECONDS_RUN}s" "http://127.0.0.1:$PORT/")
    TICKS1=$(awk '{print $14 + $15}' /proc/$SERVER/stat)
    RPS=$(echo "$WRK" | awk '/Requests\/sec/ {print $2}')
    REQS=$(echo "$WRK" | awk '/requests in/ {print $1}')
    HZ=$(getconf CLK_TCK)
    US=$(awk -v t=$((TICKS1 - TICKS0)) -v hz="$HZ" -v n="$REQS" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
    THREADS=$(ls /proc/$SERVER/task | wc -l)
    echo "RESULT http mode=$mode rep=$rep requests_per_s=$RPS cpu_us_per_request=$US threads=$THREADS"
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
  done
done
for mode in workers thread; do
  echo -n "mode=$mode "
  "$JAVA" -javaagent:"$AGENT" -Dweft.maxprocs=1 -Dweft.netpoll=$mode -cp "$CP" \
    NetPollBench idle 10000 10 | grep RESULT
done

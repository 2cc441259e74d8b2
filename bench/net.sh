#!/usr/bin/env bash
# The network comparison: the same minimal keep-alive HTTP/1.1 responder ("Hello, World!", one
# goroutine / thread / fiber a connection, request heads read up to their blank line) on Weft
# (dev.weft.net), Go raw TCP, Java virtual threads and platform threads on java.net sockets, plus
# Go's net/http and the JDK's HttpServer on virtual threads for context. Then idle connections
# held by a separate client process (server memory and threads per connection) and 1 KB echo.
# Last, issue 8's timer goal: bench/timers.sh (100,000 and 10,000 sleeping fibers, Weft and Go,
# fresh processes, then the steady state after two warm-up runs in the process).
# Writes the network and timers sections of docs/performance.md (and their plots) through the
# report generator, leaving every other section of that page as it was.
#
#   bench/net.sh              # the full run, two repetitions (about 18 minutes)
#   bench/net.sh --quick      # one short repetition at 100 connections, to check the setup
#                             # (about a minute); writes into bench/results/net-<run>/, not docs/
#   bench/net.sh --reps 5 --only http,idle,echo --no-build    # without the timers
#   bench/net.sh --reps 5 --only http --conns 100 --systems weft,go --no-build
#                             # one case side by side
#
# Each HTTP run records, beside requests/s and latency, the server's CPU time per request and wrk's
# own CPU over the measured run: one wrk thread saturates its core near 100 k requests/s, and where
# it does, requests/s is the client's ceiling and the server's CPU per request separates servers.
#
# The server runs at parallelism 1 pinned to CPU 0 (GOMAXPROCS=1,
# -Djdk.virtualThreadScheduler.parallelism=1, -Dweft.maxprocs=1); the load (wrk -t1, the idle and
# echo clients at GOMAXPROCS=1) is pinned to CPU 1. Every measurement starts a fresh server; the
# repetitions are interleaved (every system once, then every system again).
#
# Needs: Java 21+ (JAVA25, default Temurin 25 under /usr/lib/jvm), go (GO), wrk, taskset, GNU time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() {
  cat <<EOF
usage: bench/net.sh [--quick] [--reps N] [--only http,idle,echo,timers] [--conns N,N] [--systems S,S]
                    [--out FILE.md] [--no-build]
EOF
}

REPS=2
QUICK=0
ONLY="http,idle,echo,timers"
BUILD=1
OUT=""
CONNS_GIVEN=""
SYSTEMS_GIVEN=""
ARGS_GIVEN="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; REPS=1; ONLY="${ONLY/,timers/}" ;;
    --reps) shift; REPS="${1:-}" ;;
    --only) shift; ONLY="${1:-}" ;;
    --no-build) BUILD=0 ;;
    --conns) shift; CONNS_GIVEN="${1:-}" ;;
    --systems) shift; SYSTEMS_GIVEN="${1:-}" ;;
    --out) shift; OUT="${1:-}" ;;
    -h | --help) usage; exit 0 ;;
    *) echo "net.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || { echo "net.sh: --reps needs a positive whole number" >&2; exit 2; }
for w in ${ONLY//,/ }; do
  case "$w" in http | idle | echo | timers) ;; *) echo "net.sh: unknown part '$w' in --only" >&2; exit 2 ;; esac
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }
[[ -z "$CONNS_GIVEN" || "$CONNS_GIVEN" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] \
  || { echo "net.sh: --conns needs numbers separated by commas" >&2; exit 2; }

# ---- tools ---------------------------------------------------------------------------------
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JCMD="$(dirname "$JAVA25")/jcmd"
GO_BIN="${GO:-$(command -v go || true)}"
for tool in wrk taskset; do
  command -v "$tool" >/dev/null || { echo "net.sh: $tool is not installed (Debian: apt-get install $tool)" >&2; exit 2; }
done
# GNU time, not the shell's keyword: it measures wrk's own CPU in each HTTP run.
GNU_TIME=/usr/bin/time
[ -x "$GNU_TIME" ] || { echo "net.sh: GNU time is not installed (Debian: apt-get install time)" >&2; exit 2; }
[ -x "$JAVA25" ] || { echo "net.sh: no Java 21+ at '$JAVA25' (set JAVA25)" >&2; exit 2; }
[ -n "$GO_BIN" ] || { echo "net.sh: go is not installed (apt-get install golang-go)" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "net.sh: needs 2 CPUs: one for the server, one for the load" >&2; exit 2; }
[ "$(ulimit -n)" -ge 12000 ] || ulimit -n 20000 2>/dev/null \
  || { echo "net.sh: needs 12,000 open files (ulimit -n)" >&2; exit 2; }

STAMP="$(date -u +%Y%m%d-%H%M%S)"
RUN="$ROOT/bench/results/net-$STAMP"
mkdir -p "$RUN"
RAW="$RUN/raw.txt"
LOG="$RUN/log.txt"
: >"$RAW"
: >"$LOG"
if [ -z "$OUT" ]; then
  if [ "$QUICK" = 1 ]; then OUT="$RUN/performance.md"; else OUT="$ROOT/docs/performance.md"; fi
fi
IMAGES="$(dirname "$OUT")/images"

if [ "$BUILD" = 1 ]; then
  echo "building (mvn -q -DskipTests package)..."
  mvn -q -B -DskipTests package 2>&1 | sed -e $'s/\x1b\\[[0-9;]*m//g' | tee -a "$LOG"
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "net.sh: the build failed" >&2; exit 1; }
fi
[ -f agent/target/weft-agent.jar ] && [ -f bench/target/weft-bench.jar ] \
  || { echo "net.sh: build first (mvn -DskipTests package)" >&2; exit 2; }
cp agent/target/weft-agent.jar bench/target/weft-bench.jar "$RUN/"
AGENT="$RUN/weft-agent.jar"
JAR="$RUN/weft-bench.jar"
(cd bench/go && GOFLAGS=-mod=mod GOPROXY=off "$GO_BIN" build -o "$RUN/weft-go-bench" .) >>"$LOG" 2>&1 \
  || { echo "net.sh: the Go programs did not build (see $LOG)" >&2; exit 1; }
GOB="$RUN/weft-go-bench"

# Weft runs when the jar holds its network programs (dev.weft.net is there).
has_class() { "$(dirname "$JAVA25")/jar" tf "$JAR" | grep -x "$1" >/dev/null; }
WEFT=1
has_class 'dev/weft/samples/HttpHello.class' || { echo "net.sh: no HttpHello sample in the jar: skipping Weft" >&2; WEFT=0; }

# ---- what runs -----------------------------------------------------------------------------
if [ "$QUICK" = 1 ]; then
  CONNS=(100); IDLE=(1000); WARM=1; SECS=2; CHURN=1
else
  CONNS=(100 1000 10000); IDLE=(5000 10000); WARM=2; SECS=5; CHURN=4
fi
HTTP_SYSTEMS=(go vthreads threads go-nethttp jdk-httpserver)
IDLE_SYSTEMS=(go vthreads threads)
ECHO_SYSTEMS=(go)
if [ "$WEFT" = 1 ]; then
  HTTP_SYSTEMS=(weft "${HTTP_SYSTEMS[@]}")
  IDLE_SYSTEMS=(weft "${IDLE_SYSTEMS[@]}")
  has_class 'dev/weft/bench/net/WeftEchoServer.class' && ECHO_SYSTEMS=(weft go)
fi
[ -n "$CONNS_GIVEN" ] && IFS=, read -r -a CONNS <<<"$CONNS_GIVEN"
# --systems keeps the named systems of each part, in the part's own order.
keep_systems() {
  local s
  for s in "$@"; do [[ ",$SYSTEMS_GIVEN," == *",$s,"* ]] && echo "$s"; done
  true
}
if [ -n "$SYSTEMS_GIVEN" ]; then
  mapfile -t HTTP_SYSTEMS < <(keep_systems "${HTTP_SYSTEMS[@]}")
  mapfile -t IDLE_SYSTEMS < <(keep_systems "${IDLE_SYSTEMS[@]}")
  mapfile -t ECHO_SYSTEMS < <(keep_systems "${ECHO_SYSTEMS[@]}")
fi

SERVER=(taskset -c 0)
CLIENT=(taskset -c 1)
J25=("$JAVA25" -Djdk.virtualThreadScheduler.parallelism=1)

# The server command of a system, and the config keys naming what it runs on.
http_server() {
  case "$1" in
    weft) echo "${J25[*]} -javaagent:$AGENT -Dweft.maxprocs=1 -cp $JAR dev.weft.samples.HttpHello --listen 127.0.0.1:0" ;;
    go) echo "env GOMAXPROCS=1 $GOB httpraw" ;;
    go-nethttp) echo "env GOMAXPROCS=1 $GOB nethttp" ;;
    vthreads) echo "${J25[*]} -cp $JAR dev.weft.bench.net.RawHttpServer vthreads" ;;
    threads) echo "${J25[*]} -cp $JAR dev.weft.bench.net.RawHttpServer threads" ;;
    jdk-httpserver) echo "${J25[*]} -cp $JAR dev.weft.bench.net.JdkHttpServer" ;;
  esac
}
echo_server() {
  case "$1" in
    weft) echo "${J25[*]} -javaagent:$AGENT -Dweft.maxprocs=1 -cp $JAR dev.weft.bench.net.WeftEchoServer 127.0.0.1:0" ;;
    go) echo "env GOMAXPROCS=1 $GOB echoserver" ;;
  esac
}
is_java() { [[ "$1" != go* ]]; }
JAVA_FEATURE="$("$JAVA25" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
config_of() { if is_java "$1"; then echo "system=$1 java=$JAVA_FEATURE procs=1"; else echo "system=$1 procs=1"; fi; }

SERVER_PID=""
SERVER_ADDR=""
# start_server COMMAND: starts it on CPU 0, waits for its "listening on HOST:PORT" line.
start_server() {
  local out="$RUN/server.out" i
  : >"$out"
  # shellcheck disable=SC2086
  "${SERVER[@]}" $1 >"$out" 2>>"$LOG" &
  SERVER_PID=$!
  for i in $(seq 1 300); do
    SERVER_ADDR="$(grep -m1 -o '127\.0\.0\.1:[0-9]\+' "$out" || true)"
    [ -n "$SERVER_ADDR" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "      the server did not start: $1" | tee -a "$LOG"
  stop_server
  return 1
}
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; [ -n "${CLIENT_PID:-}" ] && kill "$CLIENT_PID" 2>/dev/null; true' EXIT

STEP=0
FAILED=0
step() {
  STEP=$((STEP + 1))
  printf '[%3d] %-44s' "$STEP" "$1"
  echo "== $1" >>"$LOG"
}
failed() {
  echo " FAILED ($1; see $LOG)"
  echo "FAILED: $1" >>"$LOG"
  FAILED=$((FAILED + 1))
}

# wrk's latency with its unit (950.00us, 4.13ms, 1.20s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 }
    else if (v ~ /m$/) { sub(/m$/, "", v); print v * 60000 }
    else { sub(/s$/, "", v); print v * 1000 } }'
}

http_one() {
  local system="$1" conns="$2" out rate p50 p99 errors ticks0 ticks1 reqs
  local wall client_cpu server_cpu cpu_figures
  step "http $system c=$conns"
  start_server "$(http_server "$system")" || { failed "start"; return 0; }
  # First a few short runs that open and close connections: a JIT compiles the serving loop from
  # what it saw, and a loop that never saw a connection start or end is deoptimized and compiled
  # again when the next run's connections come; after a few rounds the compiled code has every
  # path, and the measured run pays no compiler time (Weft: 14-23 us of CPU per request with one
  # warm-up run, 9.7 with these, Go 8.5-10, on the same day).
  for _ in $(seq 1 "$CHURN"); do
    "${CLIENT[@]}" wrk -t1 -c100 -d1s --timeout 10s "http://$SERVER_ADDR/" >>"$LOG" 2>&1 || true
  done
  "${CLIENT[@]}" wrk -t1 -c"$conns" -d"${WARM}s" --timeout 10s "http://$SERVER_ADDR/" >>"$LOG" 2>&1 || true
  # The server's CPU time (user + system, every thread) around the measured run: CPU per request
  # holds up on a shared machine, where requests/s also says how much of its core the server was
  # given. wrk's own CPU over the same run (GNU time: its wall, user and system seconds) says
  # whether the client's core was the ceiling: one wrk thread saturates its core near 100 k
  # requests/s, and then requests/s cannot tell two servers apart, but CPU per request can.
  ticks0="$(cpu_ticks "$SERVER_PID")"
  out="$("${CLIENT[@]}" "$GNU_TIME" -f 'wrk_time %e %U %S' -o "$RUN/wrk.time" \
    wrk -t1 -c"$conns" -d"${SECS}s" --timeout 10s --latency "http://$SERVER_ADDR/" 2>&1)" || true
  ticks1="$(cpu_ticks "$SERVER_PID")"
  stop_server
  echo "$out" >>"$LOG"
  rate="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(awk '/Socket errors:/ {gsub(",", ""); e += $4 + $6 + $8 + $10} /Non-2xx/ {e += $NF} END {print e + 0}' <<<"$out")"
  if [ -z "$rate" ] || [ -z "$p50" ] || [ -z "$p99" ]; then failed "no wrk figures"; return 0; fi
  # "475123 requests in 5.00s, 38.07MB read"
  reqs="$(awk '/ requests in / {print $1; exit}' <<<"$out")"
  read -r wall client_cpu <<<"$(awk '$1 == "wrk_time" {print $2, $3 + $4}' "$RUN/wrk.time" 2>/dev/null)" || true
  server_cpu="$(awk -v t=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }')"
  cpu_figures="$(http_cpu_figures "${reqs:-0}" "$server_cpu" "${wall:-0}" "${client_cpu:-}")"
  printf ' %10.0f req/s  p50 %s  p99 %s  %s\n' "$rate" "$p50" "$p99" "$cpu_figures"
  echo "RESULT workload=http $(config_of "$system") conns=$conns seconds=$SECS | req_per_s=$rate p50_ms=$(to_ms "$p50") p99_ms=$(to_ms "$p99") errors=${errors:-0} $cpu_figures" >>"$RAW"
}

# http_cpu_figures REQUESTS SERVER_CPU_S WALL_S CLIENT_CPU_S: the CPU keys of an http RESULT line.
# A figure that cannot be had (no request answered, wrk's times missing) is left out, and the page
# shows "-" for it.
http_cpu_figures() {
  awk -v n="$1" -v server="$2" -v wall="$3" -v client="$4" 'BEGIN {
    s = "requests=" n " server_cpu_s=" server
    if (n > 0) s = s sprintf(" cpu_us_per_req=%.2f", server * 1e6 / n)
    if (wall > 0) s = s sprintf(" wall_s=%.2f server_cpu_share=%.3f", wall, server / wall)
    if (wall > 0 && client != "") s = s sprintf(" client_cpu_s=%.2f client_cpu_share=%.3f", client, client / wall)
    print s }'
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
status_field() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
collect() { if is_java "$1"; then "$JCMD" "$2" GC.run >>"$LOG" 2>&1 || true; sleep 0.5; fi; }

idle_one() {
  local system="$1" conns="$2" rss0 rss1 th0 th1 fd0 i
  step "idle $system n=$conns"
  start_server "$(http_server "$system")" || { failed "start"; return 0; }
  sleep 1
  collect "$system" "$SERVER_PID"
  rss0="$(status_field "$SERVER_PID" VmRSS)"; th0="$(status_field "$SERVER_PID" Threads)"; fd0="$(fds "$SERVER_PID")"
  "${CLIENT[@]}" env GOMAXPROCS=1 "$GOB" idle -addr "$SERVER_ADDR" -conns "$conns" -seconds 300 >"$RUN/idle.out" 2>>"$LOG" &
  CLIENT_PID=$!
  for i in $(seq 1 600); do
    [ "$(fds "$SERVER_PID")" -ge $((fd0 + conns)) ] && break
    sleep 0.1
  done
  local got=$(( $(fds "$SERVER_PID") - fd0 ))
  if [ "$got" -lt "$conns" ]; then
    kill "$CLIENT_PID" 2>/dev/null || true; wait "$CLIENT_PID" 2>/dev/null || true; CLIENT_PID=""
    stop_server; failed "only $got of $conns connections accepted in 60 s"; return 0
  fi
  sleep 2 # every connection's reader is parked by now
  collect "$system" "$SERVER_PID"
  rss1="$(status_field "$SERVER_PID" VmRSS)"; th1="$(status_field "$SERVER_PID" Threads)"
  kill "$CLIENT_PID" 2>/dev/null || true; wait "$CLIENT_PID" 2>/dev/null || true; CLIENT_PID=""
  stop_server
  local per=$(( (rss1 - rss0) * 1024 / conns ))
  printf ' %6d B/conn  threads %d -> %d\n' "$per" "$th0" "$th1"
  echo "RESULT workload=idle $(config_of "$system") conns=$conns | rss_bytes_per_conn=$per rss_kb_before=$rss0 rss_kb_after=$rss1 threads_before=$th0 threads_after=$th1" >>"$RAW"
}

echo_one() {
  local system="$1" out ticks0 ticks1 total server_cpu
  step "echo $system c=100 1 KB"
  start_server "$(echo_server "$system")" || { failed "start"; return 0; }
  # The warm-up in a client process of its own, so that the measured one's figures leave out the
  # JIT: the server's CPU around the whole measured client process (its connections' setup, half a
  # second more of warm-up, the measured seconds) over every message it echoed (the client counts
  # them); the client reports its own CPU share over the measured seconds. As for HTTP: where the
  # client's core is saturated, messages/s is its ceiling, and the server's CPU per message is
  # what compares servers.
  "${CLIENT[@]}" env GOMAXPROCS=1 "$GOB" echoload -addr "$SERVER_ADDR" -conns 100 -size-bytes 1024 \
    -warmup 0 -seconds "$WARM" -system "$system" >>"$LOG" 2>&1 || true
  ticks0="$(cpu_ticks "$SERVER_PID")"
  out="$("${CLIENT[@]}" env GOMAXPROCS=1 "$GOB" echoload -addr "$SERVER_ADDR" -conns 100 -size-bytes 1024 \
    -warmup 0.5 -seconds "$SECS" -system "$system" 2>>"$LOG")" || true
  ticks1="$(cpu_ticks "$SERVER_PID")"
  stop_server
  if ! grep -q '^RESULT ' <<<"$out"; then failed "no result"; return 0; fi
  total="$(grep -o 'messages_total=[0-9]*' <<<"$out" | cut -d= -f2)"
  server_cpu="$(awk -v t=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }')"
  out="$out server_cpu_s=$server_cpu"
  if [ "${total:-0}" -gt 0 ]; then
    out="$out $(awk -v c="$server_cpu" -v n="$total" 'BEGIN { printf "cpu_us_per_msg=%.2f", c * 1e6 / n }')"
  fi
  printf ' %s\n' "$(sed 's/.*| //' <<<"$out")"
  if is_java "$system"; then out="${out/system=$system/system=$system java=$JAVA_FEATURE procs=1}"; else out="${out/system=$system/system=$system procs=1}"; fi
  echo "$out" >>"$RAW"
}

# ---- the run -------------------------------------------------------------------------------
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), Linux $(uname -r)"
  echo "java25=$("$JAVA25" -version 2>&1 | sed -n 2p)"
  echo "go=$("$GO_BIN" version)"
  echo "wrk=$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
  echo "reps=$REPS"
  echo "warmup=$WARM"
  echo "warmup_churn=$CHURN"
  echo "seconds=$SECS"
  echo "command=bench/net.sh${ARGS_GIVEN:+ ${ARGS_GIVEN//$ROOT\//}}" # paths in the checkout relative
} >"$RUN/meta.txt"

START=$(date +%s)
for rep in $(seq 1 "$REPS"); do
  echo "---- repetition $rep of $REPS"
  if wants http; then
    for c in "${CONNS[@]}"; do
      for s in "${HTTP_SYSTEMS[@]}"; do
        # Neither answered a single request at 10,000 connections in the runs here (platform
        # threads, under heavy load, none at 1,000 either), and wrk spends half a minute
        # connecting to measure that 0.
        if [ "$c" -ge 10000 ] && { [ "$s" = threads ] || [ "$s" = jdk-httpserver ]; }; then continue; fi
        http_one "$s" "$c"
      done
    done
  fi
  if wants idle; then
    for n in "${IDLE[@]}"; do for s in "${IDLE_SYSTEMS[@]}"; do idle_one "$s" "$n"; done; done
  fi
  if wants echo; then
    for s in "${ECHO_SYSTEMS[@]}"; do echo_one "$s"; done
  fi
done
ELAPSED=$(( $(date +%s) - START ))
{
  echo "elapsed=$((ELAPSED / 60)) min $((ELAPSED % 60)) s, $FAILED failed measurement(s)"
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg) at the end"
} >>"$RUN/meta.txt"
ln -sfn "net-$STAMP" "$ROOT/bench/results/net-latest"

if [ "$QUICK" = 1 ] && [ ! -f "$OUT" ] && [ -f "$ROOT/docs/performance.md" ]; then
  cp "$ROOT/docs/performance.md" "$OUT" # the quick run shows its section inside a copy of the page
fi
if wants http || wants idle || wants echo; then
  "$JAVA25" -cp "$JAR" dev.weft.bench.report.Report --network --raw "$RAW" --meta "$RUN/meta.txt" \
    --out "$OUT" --images "$IMAGES"
fi
echo "raw results in $RUN; $FAILED measurement(s) failed"
if wants timers; then
  # Its own script (Java 17, the default java, as the other comparisons): it writes its section.
  bench/timers.sh --no-build --java25 --reps "$(( REPS > 3 ? REPS : 3 ))" --out "$OUT"
fi

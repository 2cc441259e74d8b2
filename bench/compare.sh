#!/usr/bin/env bash
# Runs the four workloads of the goroutine chapter (ping-pong, pipeline, Mandelbrot, hacker
# cliché) on Weft, Java 25 virtual threads, Java 17 platform threads and Go, several times each,
# in one run on this machine; then writes docs/performance.md and its plots (docs/images/perf-*.png).
#
#   bench/compare.sh                      # the full comparison (about 12 minutes on 2 idle cores)
#   bench/compare.sh --quick              # one short repetition of everything, to check the setup;
#                                         # writes into bench/results/<run>/, not docs/
#   bench/compare.sh --reps 5 --only pingpong,mandelbrot --with-jmh
#   bench/compare.sh --only contended,echo --no-report   # channels under contention, ping-pong
#                                                        # as users write it; a few minutes
#
# Environment: JAVA17 and JAVA25 (java binaries; defaults: the java on PATH and Temurin 25 under
# /usr/lib/jvm), GO (the go binary; default: go on PATH; Go is skipped when there is none),
# MANDEL_WARMUPS (untimed Mandelbrot renders before the timed ones; default 6).
#
# Every measurement runs in a fresh process and prints one RESULT line; the repetitions are
# interleaved (every system once, then every system again) so that drift spreads evenly. The raw
# lines, the machine facts and a log stay in bench/results/<date-time>/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() {
  cat <<EOF
usage: bench/compare.sh [--quick] [--reps N] [--only WORKLOAD,...] [--with-jmh] [--out FILE.md]
                        [--no-build] [--no-report]
  workloads: pingpong pipeline mandelbrot cliche contended echo
EOF
}

REPS=3
QUICK=0
ONLY="pingpong,pipeline,mandelbrot,cliche,contended,echo"
REPORT=1
WITH_JMH=0
BUILD=1
OUT=""
ARGS_GIVEN="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; REPS=1 ;;
    --reps) shift; REPS="${1:-}" ;;
    --only) shift; ONLY="${1:-}" ;;
    --with-jmh) WITH_JMH=1 ;;
    --no-build) BUILD=0 ;;
    --no-report) REPORT=0 ;;
    --out) shift; OUT="${1:-}" ;;
    -h | --help) usage; exit 0 ;;
    *) echo "compare.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --reps needs a positive whole number" >&2; exit 2; }
for w in ${ONLY//,/ }; do
  case "$w" in
    pingpong | pipeline | mandelbrot | cliche | contended | echo) ;;
    *) echo "compare.sh: unknown workload '$w' in --only" >&2; usage >&2; exit 2 ;;
  esac
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

# ---- tools ---------------------------------------------------------------------------------
JAVA17="${JAVA17:-$(command -v java || true)}"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
GO_BIN="${GO:-$(command -v go || true)}"
[ -x "$JAVA17" ] || { echo "compare.sh: no Java 17 found; set JAVA17" >&2; exit 2; }
java_feature() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
[ "$(java_feature "$JAVA17")" -ge 17 ] || { echo "compare.sh: $JAVA17 is older than Java 17" >&2; exit 2; }
if [ ! -x "$JAVA25" ] || [ "$(java_feature "$JAVA25")" -lt 21 ]; then
  echo "compare.sh: no Java 21+ at '$JAVA25' (set JAVA25): skipping virtual threads" >&2
  JAVA25=""
fi

STAMP="$(date -u +%Y%m%d-%H%M%S)"
RUN="$ROOT/bench/results/$STAMP"
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
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "compare.sh: the build failed" >&2; exit 1; }
fi
[ -f agent/target/weft-agent.jar ] && [ -f bench/target/weft-bench.jar ] \
  || { echo "compare.sh: build first (mvn -DskipTests package)" >&2; exit 2; }
# The run uses its own copies, so that a build during the run cannot change what is measured.
cp agent/target/weft-agent.jar bench/target/weft-bench.jar "$RUN/"
AGENT="$RUN/weft-agent.jar"
JAR="$RUN/weft-bench.jar"

GO_PROGRAM=""
if [ -n "$GO_BIN" ]; then
  echo "building the Go programs..."
  if (cd bench/go && GOFLAGS=-mod=mod GOPROXY=off "$GO_BIN" build -o "$RUN/weft-go-bench" .) >>"$LOG" 2>&1; then
    GO_PROGRAM="$RUN/weft-go-bench"
  else
    echo "compare.sh: the Go programs did not build (see $LOG): skipping Go" >&2
  fi
else
  echo "compare.sh: go is not installed: skipping Go (apt-get install golang-go provides it)" >&2
fi

# ---- what runs -----------------------------------------------------------------------------
CPUS="$(nproc)"
if [ "$QUICK" = 1 ]; then
  PINGPONG=(--seconds 0.5 --warmup 0.2)
  PIPE_SIZES=(10000)
  PIPE_THREAD_SIZE=1000
  PIPE=(--messages 2)
  MANDEL=(--size 512 --runs 1 --warmups 1)
  CLICHE=(--seconds 0.3)
  ROUNDS=(--seconds 0.5 --warmup 0.3 --rounds 1)
else
  PINGPONG=(--seconds 3 --warmup 1)
  PIPE_SIZES=(100000 1000000)
  PIPE_THREAD_SIZE=10000
  PIPE=(--messages 5)
  # Six untimed renders: the JIT's last compilations of per-task code (the pool's executor, Weft's
  # scheduler) land in renders 3 to 5 at either parallelism; see docs/scheduler.md.
  MANDEL=(--size 2048 --iterations 200 --runs 5 --warmups "${MANDEL_WARMUPS:-6}")
  CLICHE=(--seconds 2)
  ROUNDS=(--seconds 2 --warmup 4 --rounds 3)
fi
PIPE_HEAP=-Xmx8g
# Parallelism 1 and all the CPUs for the channel workloads; every step for Mandelbrot's curve.
CHANNEL_PROCS=(1)
[ "$CPUS" -gt 1 ] && CHANNEL_PROCS+=("$CPUS")
MANDEL_PROCS=($(seq 1 "$CPUS"))

STEP=0
FAILED=0

# run_one LABEL COMMAND...: runs one measurement, keeps its RESULT line, logs everything else.
run_one() {
  local label="$1" out status t0
  shift
  STEP=$((STEP + 1))
  printf '[%3d] %-40s' "$STEP" "$label"
  echo "== $label: $*" >>"$LOG"
  t0=$(date +%s)
  set +e
  out="$("$@" 2>>"$LOG")"
  status=$?
  set -e
  printf ' %4d s\n' $(( $(date +%s) - t0 ))
  echo "$out" >>"$LOG"
  if [ $status -ne 0 ] || ! grep -q '^RESULT ' <<<"$out"; then
    echo "      FAILED (status $status; see $LOG)"
    FAILED=$((FAILED + 1))
    return 0
  fi
  grep '^RESULT ' <<<"$out" >>"$RAW"
}

# How each system is started at parallelism P; a measurement that hangs is cut off after 15 min.
LIMIT=(timeout 900)
weft17() { local p="$1"; shift; env GOMAXPROCS="$p" "${LIMIT[@]}" "$JAVA17" "-javaagent:$AGENT" "$@"; }
weft25() { local p="$1"; shift; env GOMAXPROCS="$p" "${LIMIT[@]}" "$JAVA25" "-javaagent:$AGENT" "$@"; }
vthreads() { local p="$1"; shift; "${LIMIT[@]}" "$JAVA25" "-Djdk.virtualThreadScheduler.parallelism=$p" "$@"; }
plain17() { "${LIMIT[@]}" "$JAVA17" "$@"; }
# Platform threads run on P CPUs through taskset, since the JDK has no knob for them.
threads() {
  local p="$1"
  shift
  if [ "$p" -lt "$CPUS" ]; then
    "${LIMIT[@]}" taskset -c "0-$((p - 1))" "$JAVA17" "$@"
  else
    "${LIMIT[@]}" "$JAVA17" "$@"
  fi
}
gobench() { local p="$1"; shift; env GOMAXPROCS="$p" "${LIMIT[@]}" "$GO_PROGRAM" "$@"; }
# Go takes the same options with one dash.
godash() { local a; for a in "$@"; do [[ "$a" == --* ]] && echo "${a#-}" || echo "$a"; done; }

COMPARE=(-cp "$JAR" dev.weft.bench.compare.Compare)

pingpong() {
  local p s
  for p in "${CHANNEL_PROCS[@]}"; do
    run_one "pingpong weft (Java 17) p=$p" weft17 "$p" "${COMPARE[@]}" pingpong weft --procs "$p" "${PINGPONG[@]}"
    if [ -n "$JAVA25" ]; then
      run_one "pingpong weft (Java 25) p=$p" weft25 "$p" "${COMPARE[@]}" pingpong weft --procs "$p" "${PINGPONG[@]}"
      for s in vthreads-lock vthreads-sq; do
        run_one "pingpong $s p=$p" vthreads "$p" "${COMPARE[@]}" pingpong "$s" --procs "$p" "${PINGPONG[@]}"
      done
    fi
    for s in threads-lock threads-sq; do
      run_one "pingpong $s p=$p" threads "$p" "${COMPARE[@]}" pingpong "$s" --procs "$p" "${PINGPONG[@]}"
    done
    if [ -n "$GO_PROGRAM" ]; then
      run_one "pingpong go p=$p" gobench "$p" pingpong -procs "$p" $(godash "${PINGPONG[@]}")
    fi
  done
}

pipeline() {
  local n s
  for n in "${PIPE_SIZES[@]}"; do
    run_one "pipeline weft $n" weft17 1 "$PIPE_HEAP" "${COMPARE[@]}" pipeline weft --procs 1 --stages "$n" "${PIPE[@]}"
    if [ -n "$JAVA25" ]; then
      # Both rendezvous on the smaller pipeline; the faster one alone (sq) on the larger, where
      # the lock one takes a minute a run.
      for s in vthreads-lock vthreads-sq; do
        if [ "$s" = vthreads-sq ] || [ "$n" = "${PIPE_SIZES[0]}" ]; then
          run_one "pipeline $s $n" vthreads 1 "$PIPE_HEAP" "${COMPARE[@]}" pipeline "$s" --procs 1 --stages "$n" "${PIPE[@]}"
        fi
      done
    fi
    if [ -n "$GO_PROGRAM" ]; then
      run_one "pipeline go $n" gobench 1 pipeline -procs 1 -stages "$n" $(godash "${PIPE[@]}")
    fi
  done
  run_one "pipeline threads-sq $PIPE_THREAD_SIZE" threads 1 "$PIPE_HEAP" "${COMPARE[@]}" pipeline threads-sq --procs 1 --stages "$PIPE_THREAD_SIZE" "${PIPE[@]}"
}

mandelbrot() {
  local p
  for p in "${MANDEL_PROCS[@]}"; do
    run_one "mandelbrot weft (Java 17) p=$p" weft17 "$p" "${COMPARE[@]}" mandelbrot weft --procs "$p" "${MANDEL[@]}"
    if [ -n "$JAVA25" ]; then
      run_one "mandelbrot weft (Java 25) p=$p" weft25 "$p" "${COMPARE[@]}" mandelbrot weft --procs "$p" "${MANDEL[@]}"
      run_one "mandelbrot vthreads p=$p" vthreads "$p" "${COMPARE[@]}" mandelbrot vthreads --procs "$p" "${MANDEL[@]}"
    fi
    # The pool has p threads; no taskset, so that it is the usual Java answer run the usual way.
    run_one "mandelbrot thread pool p=$p" plain17 "${COMPARE[@]}" mandelbrot threads --procs "$p" "${MANDEL[@]}"
    if [ -n "$GO_PROGRAM" ]; then
      run_one "mandelbrot go p=$p" gobench "$p" mandelbrot -procs "$p" $(godash "${MANDEL[@]}")
    fi
  done
}

cliche() {
  local p
  for p in "${CHANNEL_PROCS[@]}"; do
    run_one "cliche weft p=$p" weft17 "$p" "${COMPARE[@]}" cliche weft --procs "$p" "${CLICHE[@]}"
    if [ -n "$JAVA25" ]; then
      run_one "cliche vthreads p=$p" vthreads "$p" "${COMPARE[@]}" cliche vthreads --procs "$p" "${CLICHE[@]}"
    fi
    run_one "cliche threads p=$p" threads "$p" "${COMPARE[@]}" cliche threads --procs "$p" "${CLICHE[@]}"
    if [ -n "$GO_PROGRAM" ]; then
      run_one "cliche go p=$p" gobench "$p" cliche -procs "$p" $(godash "${CLICHE[@]}")
    fi
  done
}

# Channels under contention (fan-in to a buffered channel, a select between two producers) at
# every parallelism: the rate kept from one core to more is the point.
contended() {
  local p w
  for p in "${MANDEL_PROCS[@]}"; do
    for w in fanin select; do
      run_one "$w weft (Java 17) p=$p" weft17 "$p" "${COMPARE[@]}" "$w" weft --procs "$p" "${ROUNDS[@]}"
      if [ -n "$JAVA25" ]; then
        run_one "$w weft (Java 25) p=$p" weft25 "$p" "${COMPARE[@]}" "$w" weft --procs "$p" "${ROUNDS[@]}"
      fi
      if [ -n "$GO_PROGRAM" ]; then
        run_one "$w go p=$p" gobench "$p" "$w" -procs "$p" $(godash "${ROUNDS[@]}")
      fi
    done
    if [ -n "$JAVA25" ]; then
      run_one "fanin vthreads (queue) p=$p" vthreads "$p" "${COMPARE[@]}" fanin vthreads --procs "$p" "${ROUNDS[@]}"
    fi
  done
}

# Ping-pong as users write it: Integer payloads, the echo a forEach with a lambda or a method
# reference, or an explicit loop; Go's range loop with int payloads alongside.
echo_shapes() {
  local p s
  for p in "${CHANNEL_PROCS[@]}"; do
    for s in lambda ref loop; do
      run_one "echo weft-$s p=$p" weft17 "$p" "${COMPARE[@]}" echo weft --procs "$p" --shape "$s" "${ROUNDS[@]}"
    done
    if [ -n "$GO_PROGRAM" ]; then
      run_one "echo go p=$p" gobench "$p" echo -procs "$p" $(godash "${ROUNDS[@]}")
    fi
  done
}

# ---- the run -------------------------------------------------------------------------------
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores=$CPUS"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), Linux $(uname -r)"
  echo "java17=$("$JAVA17" -version 2>&1 | sed -n 2p)"
  echo "java25=$([ -n "$JAVA25" ] && "$JAVA25" -version 2>&1 | sed -n 2p || echo 'not found: virtual threads skipped')"
  echo "go=$([ -n "$GO_PROGRAM" ] && "$GO_BIN" version || echo 'not installed: Go skipped')"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
  echo "reps=$REPS"
  echo "command=bench/compare.sh${ARGS_GIVEN:+ $ARGS_GIVEN}"
} >"$RUN/meta.txt"

START=$(date +%s)
for rep in $(seq 1 "$REPS"); do
  echo "---- repetition $rep of $REPS"
  for w in pingpong pipeline mandelbrot cliche contended echo; do
    if wants "$w"; then
      if [ "$w" = echo ]; then echo_shapes; else "$w"; fi
    fi
  done
done

JMH_ARGS=()
if [ "$WITH_JMH" = 1 ]; then
  echo "---- JMH"
  if WEFT_AGENT_JAR="$AGENT" WEFT_BENCH_JAR="$JAR" "$ROOT/bench/jmh.sh" --no-build --out "$RUN/jmh" $([ "$QUICK" = 1 ] && echo --quick) >>"$LOG" 2>&1; then
    JMH_ARGS=(--jmh "$RUN/jmh")
  else
    echo "      JMH FAILED (see $LOG)"
    FAILED=$((FAILED + 1))
  fi
fi

ELAPSED=$(( $(date +%s) - START ))
{
  echo "elapsed=$((ELAPSED / 60)) min $((ELAPSED % 60)) s, $FAILED failed measurement(s)"
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg) at the end"
} >>"$RUN/meta.txt"
ln -sfn "$STAMP" "$ROOT/bench/results/latest"

if [ "$REPORT" = 0 ]; then
  awk '/^RESULT/ { line = $0; sub(/ java=[0-9]+/, "", line); print line }' "$RAW" | sort | sed 's/^RESULT //'
  echo "raw results in $RUN; $FAILED measurement(s) failed"
  exit 0
fi
"$JAVA17" -cp "$JAR" dev.weft.bench.report.Report --raw "$RAW" --meta "$RUN/meta.txt" \
  --out "$OUT" --images "$IMAGES" "${JMH_ARGS[@]}"
echo "raw results in $RUN; $FAILED measurement(s) failed"

#!/usr/bin/env bash
# The timer benchmark, Weft and Go side by side: N fibers (goroutines) each sleep a random 1-50 ms
# twenty times; reports the median over the repetitions of the mean, p99 and worst lateness of a
# sleep and of the process CPU time (user + system), at GOMAXPROCS 1 and 2, for 100,000 and 10,000
# fibers. Runs alternate (Weft, Go, Weft, Go, ...), each in a fresh process. Writes the timers
# section of docs/performance.md (tables and plots, through the report generator) unless told not to.
#
# Then the warm pass, at 100,000 fibers (when 100000 is among --fibers) and each GOMAXPROCS: both
# programs with --warmups 2, the same workload run twice in the process before the measured run,
# so that its cpu_run_s is the steady state's CPU, JIT, JVM start and first-run costs left out for
# both; alternating as above, as many repetitions. Its RESULT lines carry warmups=2 and make the
# page's "steady state" table; the fresh processes' rows, the goal and the plots never use them.
# A warm run does the workload three times: the pass adds about 30 s a repetition (2.5 minutes at
# the default 5, 7 s more a repetition for each of --java25 and --baseline).
#
#   bench/timers.sh                 # 5 repetitions, fresh and warm (about 4.5 minutes on 2 cores)
#   bench/timers.sh --reps 3 --no-build --fibers 100000 --procs 1
#   bench/timers.sh --no-warm             # the fresh processes only (about 2 minutes)
#   bench/timers.sh --only-warm           # the warm pass only
#   bench/timers.sh --baseline /tmp/old   # also an older build (a checkout of another commit,
#                                         # packaged there), as system "weft-baseline"
#   bench/timers.sh --rounds 0            # no sleeps: the fixed cost (start-up, fibers) alone
#   bench/timers.sh --java25              # Weft on Java 25 too (JAVA25, default Temurin 25)
#   bench/timers.sh --no-report           # leave docs/performance.md as it is
#   bench/timers.sh --out /tmp/perf.md    # write the section into another copy of the page
#
# Environment: JAVA (default: java on PATH), JAVA25 (for --java25), GO (default: go on PATH; the
# Go side is skipped when there is none). The raw RESULT lines stay in
# bench/results/timers-<date-time>/raw.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

REPS=5
BUILD=1
FIBERS="100000 10000"
PROCS="1 2"
ROUNDS=20
BASELINE=""
REPORT=1
WITH25=0
FRESH=1
WARM=1
WARM_FIBERS=100000
WARMUPS=2
OUT="$ROOT/docs/performance.md"
ARGS_GIVEN="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) shift; REPS="${1:-}" ;;
    --no-build) BUILD=0 ;;
    --fibers) shift; FIBERS="${1//,/ }" ;;
    --procs) shift; PROCS="${1//,/ }" ;;
    --rounds) shift; ROUNDS="${1:-}" ;;
    --baseline) shift; BASELINE="${1:-}" ;;
    --no-report) REPORT=0 ;;
    --java25) WITH25=1 ;;
    --out) shift; OUT="${1:-}" ;;
    --no-warm) WARM=0 ;;
    --only-warm) FRESH=0 ;;
    -h | --help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "timers.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || { echo "timers.sh: --reps needs a positive whole number" >&2; exit 2; }
[[ " $FIBERS " == *" $WARM_FIBERS "* ]] || WARM=0
if [ "$FRESH" = 0 ] && [ "$WARM" = 0 ]; then
  echo "timers.sh: --only-warm with --no-warm, or without 100000 among --fibers, runs nothing" >&2
  exit 2
fi

JAVA="${JAVA:-$(command -v java)}"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
if [ "$WITH25" = 1 ] && [ ! -x "$JAVA25" ]; then
  echo "timers.sh: --java25 needs Java 25 at $JAVA25 (set JAVA25)" >&2; exit 2
fi
GO_BIN="${GO:-$(command -v go || true)}"
RUN="$ROOT/bench/results/timers-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"
RAW="$RUN/raw.txt"
: >"$RAW"

if [ "$BUILD" = 1 ]; then
  echo "building (mvn -q -o -DskipTests package)..." >&2
  mvn -q -o -B -DskipTests package >"$RUN/build.log" 2>&1 \
    || { echo "timers.sh: the build failed (see $RUN/build.log)" >&2; exit 1; }
fi
cp agent/target/weft-agent.jar bench/target/weft-bench.jar "$RUN/"
if [ -n "$BASELINE" ]; then
  mkdir -p "$RUN/baseline"
  cp "$BASELINE/agent/target/weft-agent.jar" "$BASELINE/bench/target/weft-bench.jar" "$RUN/baseline/" \
    || { echo "timers.sh: no packaged build under $BASELINE" >&2; exit 2; }
fi
GO_PROGRAM=""
if [ -n "$GO_BIN" ]; then
  (cd bench/go && GOFLAGS=-mod=mod GOPROXY=off "$GO_BIN" build -o "$RUN/weft-go-timers" ./timers) \
    && GO_PROGRAM="$RUN/weft-go-timers" || echo "timers.sh: the Go program did not build: skipping Go" >&2
else
  echo "timers.sh: go is not installed: skipping Go" >&2
fi

# weft P N [W] and gobench P N [W]: one run each at GOMAXPROCS P, N fibers, W warm-up runs first
# (none by default: a fresh process's figures).
weft() {
  local warm=()
  [ "${3:-0}" -gt 0 ] && warm=(--warmups "$3")
  "$JAVA" -javaagent:"$RUN/weft-agent.jar" -cp "$RUN/weft-bench.jar" \
    dev.weft.bench.timers.TimerBench --procs "$1" --fibers "$2" --rounds "$ROUNDS" "${warm[@]}" \
    | grep '^RESULT' | tee -a "$RAW"
  if [ "$WITH25" = 1 ]; then
    "$JAVA25" -javaagent:"$RUN/weft-agent.jar" -cp "$RUN/weft-bench.jar" \
      dev.weft.bench.timers.TimerBench --procs "$1" --fibers "$2" --rounds "$ROUNDS" "${warm[@]}" \
      | grep '^RESULT' | tee -a "$RAW"
  fi
  if [ -n "$BASELINE" ]; then
    "$JAVA" -javaagent:"$RUN/baseline/weft-agent.jar" -cp "$RUN/baseline/weft-bench.jar" \
      dev.weft.bench.timers.TimerBench --procs "$1" --fibers "$2" --rounds "$ROUNDS" "${warm[@]}" \
      | grep '^RESULT' | sed 's/system=weft /system=weft-baseline /' | tee -a "$RAW"
  fi
}
gobench() {
  local warm=()
  [ "${3:-0}" -gt 0 ] && warm=(-warmups "$3")
  "$GO_PROGRAM" -procs "$1" -fibers "$2" -rounds "$ROUNDS" "${warm[@]}" \
    | grep '^RESULT' | tee -a "$RAW"
}
# pair REP P N [W]: Weft and Go once each, in an order that alternates with the repetition, so
# that neither always runs right after the other.
pair() {
  if [ $(($1 % 2)) = 1 ] || [ -z "$GO_PROGRAM" ]; then
    weft "$2" "$3" "${4:-0}"; [ -n "$GO_PROGRAM" ] && gobench "$2" "$3" "${4:-0}"
  else
    gobench "$2" "$3" "${4:-0}"; weft "$2" "$3" "${4:-0}"
  fi
  return 0
}

{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores=$(nproc)"
  echo "java=$("$JAVA" -version 2>&1 | sed -n 2p)"
  [ "$WITH25" = 1 ] && echo "java25=$("$JAVA25" -version 2>&1 | sed -n 2p)"
  echo "go=$([ -n "$GO_BIN" ] && "$GO_BIN" version)"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
  echo "reps=$REPS"
  [ "$WARM" = 1 ] && echo "warm=--warmups $WARMUPS at $WARM_FIBERS fibers, $REPS repetitions"
  # As given, with paths inside the checkout relative to it: the page shows the command.
  echo "command=bench/timers.sh${ARGS_GIVEN:+ ${ARGS_GIVEN//$ROOT\//}}"
} >"$RUN/meta.txt"

if [ "$FRESH" = 1 ]; then
  for rep in $(seq 1 "$REPS"); do
    for n in $FIBERS; do
      for p in $PROCS; do pair "$rep" "$p" "$n"; done
    done
  done >&2
fi
# The warm pass: the steady state, after the JIT and every first-run cost, for both systems.
if [ "$WARM" = 1 ]; then
  for rep in $(seq 1 "$REPS"); do
    for p in $PROCS; do pair "$rep" "$p" "$WARM_FIBERS" "$WARMUPS"; done
  done >&2
fi

# Median of each metric per system, procs and fibers.
echo
echo "Median of $REPS runs, $ROUNDS sleeps of 1-50 ms per fiber; lateness in ms; CPU (user+sys, whole process and while the fibers ran) and wall time in s."
[ "$WARM" = 1 ] \
  && echo "Rows \"after W warm-ups\": the workload's run W+1 in one process (CPU while running: the steady state)."
echo
echo "| fibers | GOMAXPROCS | system | mean late | p99 late | max late | CPU | CPU while running | wall |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|"
awk '
  function med(key, m,   n, i, j, t, a) {
    n = cnt[key]
    for (i = 1; i <= n; i++) a[i] = val[key, m, i]
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  /^RESULT/ {
    delete kv
    for (i = 2; i <= NF; i++) if (split($i, p, "=") == 2) kv[p[1]] = p[2]
    sys = kv["system"]; if ("java" in kv) sys = sys " (Java " kv["java"] ")"
    if ("warmups" in kv) sys = sys ", after " kv["warmups"] " warm-ups"
    key = kv["fibers"] SUBSEP kv["procs"] SUBSEP sys
    if (!(key in cnt)) order[++nk] = key
    c = ++cnt[key]
    split("late_mean_ms late_p99_ms late_max_ms cpu_s cpu_run_s wall_s", ms, " ")
    for (m in ms) val[key, ms[m], c] = kv[ms[m]]
  }
  END {
    for (k = 1; k <= nk; k++) {
      key = order[k]; split(key, f, SUBSEP)
      # A leading 0 (fresh) or 1 (after warm-ups), for the sort below to put warm rows last.
      printf "%d\t| %d | %d | %s | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f |\n", f[3] ~ /warm-ups/,
        f[1], f[2], f[3],
        med(key, "late_mean_ms"), med(key, "late_p99_ms"), med(key, "late_max_ms"),
        med(key, "cpu_s"), med(key, "cpu_run_s"), med(key, "wall_s")
    }
  }' "$RAW" | sort -t'|' -k1,1n -k2,2nr -k3,3n -k4,4r | cut -f2-
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg) at the end" >>"$RUN/meta.txt"
echo
echo "raw lines: $RAW"
if [ "$REPORT" = 1 ]; then
  "$JAVA" -cp "$RUN/weft-bench.jar" dev.weft.bench.report.Report --timers "$RAW" \
    --timers-meta "$RUN/meta.txt" --out "$OUT" --images "$(dirname "$OUT")/images"
fi

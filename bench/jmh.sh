#!/usr/bin/env bash
# Runs Weft's JMH micro-benchmarks with short settings (about 4 minutes on 2 cores):
#   SwitchBenchmark  suspend + resume of a fiber at stack depths 1, 10 and 100, through
#                    Weft.gosched() and through a channel (under the agent);
#   CallBenchmark    a suspendable call that does not suspend, run twice: with the agent and
#                    without it, so the difference is what instrumentation adds per call;
#   ChannelContentionBenchmark  a buffered channel shared by two threads: the lock's hand-off,
#                    and the polls that answer without the lock.
#
#   bench/jmh.sh                       # results in bench/results/jmh-<date-time>/
#   bench/jmh.sh --quick               # fewer, shorter iterations, to check the setup
#   bench/jmh.sh --out DIR -- -prof gc # extra JMH options after --
#
# Each benchmark writes a CSV (read by the report generator: bench/compare.sh --with-jmh) and
# the JMH text output beside it. WEFT_AGENT_JAR and WEFT_BENCH_JAR override the jars used.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

OUT="$ROOT/bench/results/jmh-$(date -u +%Y%m%d-%H%M%S)"
BUILD=1
SETTINGS=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) shift; OUT="${1:?--out needs a directory}" ;;
    --quick) SETTINGS=(-f 1 -wi 1 -w 500ms -i 2 -r 500ms) ;;
    --no-build) BUILD=0 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "jmh.sh: unknown option '$1' (JMH options go after --)" >&2; exit 2 ;;
  esac
  shift
done

JAVA="${JAVA17:-java}"
AGENT="${WEFT_AGENT_JAR:-$ROOT/agent/target/weft-agent.jar}"
JAR="${WEFT_BENCH_JAR:-$ROOT/bench/target/weft-bench.jar}"
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ] || [ ! -f "$AGENT" ]; then
  echo "building (mvn -q -DskipTests package)..."
  mvn -q -B -DskipTests package 2>&1 | sed -e $'s/\x1b\\[[0-9;]*m//g'
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "jmh.sh: the build failed" >&2; exit 1; }
fi
mkdir -p "$OUT"

# jmh NAME BENCHMARK [JMH OPTIONS...]: runs one benchmark class, CSV and text into $OUT.
jmh() {
  local name="$1" bench="$2"
  shift 2
  echo "---- $name"
  "$JAVA" -jar "$JAR" "dev.weft.bench.jmh.$bench" "${SETTINGS[@]}" -rf csv -rff "$OUT/$name.csv" \
    "$@" "${EXTRA[@]}" | tee "$OUT/$name.txt"
}

# The forks get the agent through -jvmArgsAppend; the JMH host itself never needs it.
jmh switch SwitchBenchmark -jvmArgsAppend "-javaagent:$AGENT"
jmh call-agent CallBenchmark -jvmArgsAppend "-javaagent:$AGENT"
jmh call-plain CallBenchmark
jmh channels ChannelContentionBenchmark

echo "results in $OUT"

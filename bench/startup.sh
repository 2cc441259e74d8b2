#!/usr/bin/env bash
# Measures what the agent costs at start-up, whole process, wall and CPU time (user + system):
#
#   maven     Maven compiling a small generated project (about 5,200 classes loaded, nothing
#             suspendable), with and without -javaagent in MAVEN_OPTS;
#   hello     a plain hello world, with and without -javaagent;
#   fiber     a hello world that starts one fiber and passes it one message, with -javaagent,
#             on the runtime as it ships, rewritten ahead of time (prewritten: the jar as built,
#             which the build already rewrote, or the jar --prewritten names), and on the same
#             sources compiled without that step, so that the agent rewrites them as they load
#             (atload);
#   vthreads  the same hello world on virtual threads (Java 21+), no agent.
#
# On Java 17 and on Java 25. Every measurement is a fresh process; the repetitions alternate
# (every kind once, then every kind again) so that drift spreads evenly; medians of --reps runs.
# The RESULT lines, the machine facts and a log stay in bench/results/startup-<date-time>/; then
# the start-up section of docs/performance.md is regenerated from them (--no-docs leaves it).
#
#   bench/startup.sh                                    # 9 repetitions, Java 17 and 25
#   bench/startup.sh --reps 15 --only hello,fiber
#   bench/startup.sh --prewritten path/to/weft-runtime-prewritten.jar
#   bench/startup.sh --baseline /tmp/weft-agent-before.jar  # an older agent side by side
#                                                           # (agent=before in the results)
#
# Environment: JAVA17 and JAVA25 (JDK homes; defaults: the JDK of the java on PATH and Temurin
# 25 under /usr/lib/jvm). Needs /usr/bin/time (Debian: apt-get install time) and Maven.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() {
  cat <<EOF
usage: bench/startup.sh [--reps N] [--only KIND,...] [--jdks 17,25] [--agent JAR]
                        [--runtime JAR] [--prewritten JAR | --no-prewritten] [--no-atload]
                        [--baseline AGENT.jar]
                        [--no-build] [--no-docs] [--out FILE.md]
  kinds: maven hello fiber vthreads
EOF
}

REPS=9
ONLY="maven,hello,fiber,vthreads"
JDKS="17,25"
AGENT_IN="agent/target/weft-agent.jar"
RUNTIME_IN=""
PREWRITTEN_IN=auto
BASELINE_IN=""
ATLOAD=1
BUILD=1
DOCS=1
OUT="$ROOT/docs/performance.md"
ARGS_GIVEN="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) shift; REPS="${1:-}" ;;
    --only) shift; ONLY="${1:-}" ;;
    --jdks) shift; JDKS="${1:-}" ;;
    --agent) shift; AGENT_IN="${1:-}" ;;
    --runtime) shift; RUNTIME_IN="${1:-}" ;;
    --prewritten) shift; PREWRITTEN_IN="${1:-}" ;;
    --no-prewritten) PREWRITTEN_IN="" ;;
    --no-atload) ATLOAD=0 ;;
    --baseline) shift; BASELINE_IN="${1:-}" ;;
    --no-build) BUILD=0 ;;
    --no-docs) DOCS=0 ;;
    --out) shift; OUT="${1:-}" ;;
    -h | --help) usage; exit 0 ;;
    *) echo "startup.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || { echo "startup.sh: --reps needs a positive whole number" >&2; exit 2; }
for k in ${ONLY//,/ }; do
  case "$k" in
    maven | hello | fiber | vthreads) ;;
    *) echo "startup.sh: unknown kind '$k' in --only" >&2; usage >&2; exit 2 ;;
  esac
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }
[ -x /usr/bin/time ] || { echo "startup.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

# ---- tools ---------------------------------------------------------------------------------
home_of() { dirname "$(dirname "$(readlink -f "$1")")"; }
JAVA17_HOME="${JAVA17:-$(home_of "$(command -v java)")}"
JAVA25_HOME="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
declare -A HOME_OF=([17]="$JAVA17_HOME" [25]="$JAVA25_HOME")
JAVAS=()
for j in ${JDKS//,/ }; do
  if [ -x "${HOME_OF[$j]:-/nonexistent}/bin/java" ]; then
    JAVAS+=("$j")
  else
    echo "startup.sh: no Java $j at '${HOME_OF[$j]:-}' (set JAVA$j): skipped" >&2
  fi
done
[ ${#JAVAS[@]} -gt 0 ] || { echo "startup.sh: no JDK to run" >&2; exit 2; }

if [ "$BUILD" = 1 ]; then
  echo "building (mvn -q -o -DskipTests package -pl agent,runtime,junit,samples,bench)..."
  mvn -q -o -B -DskipTests package -pl agent,runtime,junit,samples,bench >/dev/null \
    || { echo "startup.sh: the build failed" >&2; exit 1; }
fi
[ -n "$RUNTIME_IN" ] || RUNTIME_IN="$(ls runtime/target/weft-runtime-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1 || true)"
for f in "$AGENT_IN" "$RUNTIME_IN" $([ "$PREWRITTEN_IN" != auto ] && echo "$PREWRITTEN_IN") ${BASELINE_IN:+"$BASELINE_IN"} bench/target/weft-bench.jar; do
  [ -f "$f" ] || { echo "startup.sh: '$f' not found: build first (mvn -DskipTests package)" >&2; exit 2; }
done

STAMP="$(date -u +%Y%m%d-%H%M%S)"
RUN="$ROOT/bench/results/startup-$STAMP"
mkdir -p "$RUN/classes" "$RUN/classes25"
RAW="$RUN/raw.txt"
LOG="$RUN/log.txt"
: >"$RAW"
: >"$LOG"
# The run uses its own copies, so that a build during the run cannot change what is measured.
cp "$AGENT_IN" "$RUN/weft-agent.jar"
cp "$RUNTIME_IN" "$RUN/weft-runtime.jar"
declare -A AGENT_JAR=([yes]="$RUN/weft-agent.jar")
AGENTS=(yes)
if [ -n "$BASELINE_IN" ]; then
  cp "$BASELINE_IN" "$RUN/weft-agent-before.jar"
  AGENTS+=(before)
  AGENT_JAR[before]="$RUN/weft-agent-before.jar"
fi
RUNTIMES=()
declare -A RUNTIME_JAR=()
if [ "$ATLOAD" = 1 ]; then
  # The runtime's sources compiled without the build's ahead-of-time rewrite (runtime/pom.xml,
  # instrument-runtime): the agent rewrites its suspendable classes as they load, as it did
  # before the runtime shipped rewritten. The runtime jar as built is rewritten already, so it
  # cannot serve for this.
  mkdir -p "$RUN/runtime-atload"
  "$JAVA17_HOME/bin/javac" --release 17 -parameters -nowarn -d "$RUN/runtime-atload" \
    $(find runtime/src/main/java -name '*.java') >>"$LOG" 2>&1 \
    || { echo "startup.sh: cannot compile the runtime's sources (see $LOG)" >&2; exit 1; }
  "$JAVA17_HOME/bin/jar" cf "$RUN/weft-runtime-atload.jar" -C "$RUN/runtime-atload" .
  RUNTIMES+=(atload)
  RUNTIME_JAR[atload]="$RUN/weft-runtime-atload.jar"
fi
if [ "$PREWRITTEN_IN" = auto ]; then
  # The runtime as it ships: every class rewritten ahead of time. The jar as built already is
  # (then the command changes nothing); an older one passed with --runtime may not be.
  if "$JAVA17_HOME/bin/java" -jar "$RUN/weft-agent.jar" instrument "$RUN/weft-runtime.jar" \
      "$RUN/weft-runtime-prewritten.jar" >>"$LOG" 2>&1; then
    PREWRITTEN_IN="$RUN/weft-runtime-prewritten.jar"
  else
    echo "startup.sh: the agent could not pre-rewrite the runtime (see $LOG): measuring without" >&2
    PREWRITTEN_IN=""
  fi
fi
if [ -n "$PREWRITTEN_IN" ]; then
  [ "$PREWRITTEN_IN" = "$RUN/weft-runtime-prewritten.jar" ] || cp "$PREWRITTEN_IN" "$RUN/weft-runtime-prewritten.jar"
  RUNTIMES+=(prewritten)
  RUNTIME_JAR[prewritten]="$RUN/weft-runtime-prewritten.jar"
fi

# The hello worlds, compiled for Java 17 (the virtual-thread one for 21, by Java 25).
"$JAVA17_HOME/bin/javac" --release 17 -d "$RUN/classes" -cp "$RUN/weft-runtime.jar" \
  bench/startup/Hello.java bench/startup/FiberHello.java
if [ -x "$JAVA25_HOME/bin/javac" ]; then
  "$JAVA25_HOME/bin/javac" --release 21 -d "$RUN/classes25" bench/startup/VirtualHello.java
fi

# The Maven project: a few classes and a resource, compiled by the project's own plugin versions
# (so that -o finds them); nothing in it is suspendable.
PROJECT="$RUN/maven-project"
mkdir -p "$PROJECT/src/main/java/sample" "$PROJECT/src/main/resources"
cat >"$PROJECT/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sample</groupId><artifactId>startup-sample</artifactId><version>1</version>
  <properties><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
  <build><plugins>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version>
      <configuration><release>17</release></configuration></plugin>
  </plugins></build>
</project>
EOF
echo "greeting=hello" >"$PROJECT/src/main/resources/app.properties"
for i in $(seq 1 12); do
  cat >"$PROJECT/src/main/java/sample/Part$i.java" <<EOF
package sample;

import java.util.ArrayList;
import java.util.List;

public final class Part$i {
  private final List<String> names = new ArrayList<>();

  public Part$i add(String name) {
    names.add(name + $i);
    return this;
  }

  public int size() {
    return names.size();
  }
}
EOF
done

# ---- measuring -----------------------------------------------------------------------------
STEP=0
FAILED=0

# measure CONFIG COMMAND...: runs COMMAND once (environment already set by the caller's env),
# appends "RESULT workload=startup CONFIG | wall_ms=.. cpu_ms=.." to the raw file.
measure() {
  local config="$1" t0 t1 status times
  shift
  STEP=$((STEP + 1))
  echo "== $config: $*" >>"$LOG"
  t0=$(date +%s%N)
  set +e
  /usr/bin/time -f '%U %S' -o "$RUN/time.txt" "$@" >>"$LOG" 2>&1
  status=$?
  set -e
  t1=$(date +%s%N)
  times="$(tail -1 "$RUN/time.txt")"
  if [ $status -ne 0 ]; then
    echo "      FAILED (status $status): $config (see $LOG)"
    FAILED=$((FAILED + 1))
    return 0
  fi
  local wall cpu
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
  cpu=$(awk -v t="$times" 'BEGIN { split(t, x, " "); printf "%.0f", (x[1] + x[2]) * 1000 }')
  echo "RESULT workload=startup $config | wall_ms=$wall cpu_ms=$cpu" | tee -a "$LOG" >>"$RAW"
  printf '[%3d] %-60s %8s ms wall %6s ms CPU\n' "$STEP" "$config" "$wall" "$cpu"
}

# maven_build JAVA MAVEN_OPTS: the Maven command, to be run from a clean target directory.
maven_build() {
  rm -rf "$PROJECT/target"
  MVN=(env JAVA_HOME="${HOME_OF[$1]}" MAVEN_OPTS="$2" mvn -o -q -B -f "$PROJECT/pom.xml" compile)
}

one_round() {
  local j rt java a
  for j in "${JAVAS[@]}"; do
    java="${HOME_OF[$j]}/bin/java"
    if wants maven; then
      maven_build "$j" ""
      measure "system=maven java=$j agent=no" "${MVN[@]}"
      for a in "${AGENTS[@]}"; do
        maven_build "$j" "-javaagent:${AGENT_JAR[$a]}"
        measure "system=maven java=$j agent=$a" "${MVN[@]}"
      done
    fi
    if wants hello; then
      measure "system=hello java=$j agent=no" "$java" -cp "$RUN/classes" Hello
      for a in "${AGENTS[@]}"; do
        measure "system=hello java=$j agent=$a" "$java" "-javaagent:${AGENT_JAR[$a]}" -cp "$RUN/classes" Hello
      done
    fi
    if wants fiber; then
      for a in "${AGENTS[@]}"; do
        for rt in "${RUNTIMES[@]}"; do
          measure "system=fiber java=$j agent=$a runtime=$rt" \
            "$java" "-javaagent:${AGENT_JAR[$a]}" -cp "$RUN/classes:${RUNTIME_JAR[$rt]}" FiberHello
        done
      done
    fi
    if wants vthreads && [ "$j" -ge 21 ]; then
      measure "system=vthreads java=$j agent=no" "$java" -cp "$RUN/classes25" VirtualHello
    fi
  done
}

{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores=$(nproc)"
  echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), Linux $(uname -r)"
  for j in "${JAVAS[@]}"; do
    echo "java$j=$("${HOME_OF[$j]}/bin/java" -version 2>&1 | sed -n 2p)"
  done
  echo "maven=$(mvn -v 2>/dev/null | sed -n 1p | sed -e $'s/\x1b\\[[0-9;]*m//g')"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
  echo "reps=$REPS"
  echo "command=bench/startup.sh${ARGS_GIVEN:+ $ARGS_GIVEN}"
} >"$RUN/meta.txt"

echo "---- warm-up (not counted): page cache, Maven's local repository"
SAVED_RAW="$RAW"
RAW=/dev/null
one_round >/dev/null
RAW="$SAVED_RAW"
STEP=0
for rep in $(seq 1 "$REPS"); do
  echo "---- repetition $rep of $REPS"
  one_round
done
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg) at the end" >>"$RUN/meta.txt"
echo "failed=$FAILED" >>"$RUN/meta.txt"
ln -sfn "startup-$STAMP" "$ROOT/bench/results/startup-latest"

if [ "$DOCS" = 1 ]; then
  "$JAVA17_HOME/bin/java" -cp bench/target/weft-bench.jar dev.weft.bench.report.Report \
    --startup "$RAW" --startup-meta "$RUN/meta.txt" --out "$OUT"
fi
echo "raw results in $RUN; $FAILED measurement(s) failed"

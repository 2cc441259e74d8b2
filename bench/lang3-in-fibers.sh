#!/usr/bin/env bash
# A real suite inside fibers: the whole commons-lang3 3.17.0 test suite (its published tests jar),
# every method of lang3 and of its tests made suspendable, each test run in a fiber by
# WeftExtension (auto-detected) with yields injected at random call sites; then the same suite
# without the agent as the baseline. See docs/testing.md, "A real suite inside fibers".
#
#   bench/lang3-in-fibers.sh [P [seed [maxprocs]]]      # defaults: 0.05 1 1
#   LANG3_SELECT='--select-package org.apache.commons.lang3.builder' bench/lang3-in-fibers.sh
#
# LANG3_SELECT replaces the launcher's default selection (the whole tests jar). LANG3_HEAP (default
# 512m, what lang3's own build gives its tests) is -Xmx for both runs; Java 25 needs 1g (see
# docs/testing.md). LANG3_PLAIN=keep reuses the previous plain run when it was made with the same
# java, selection and heap (P, seed and maxprocs do not change it). LANG3_WORK moves the output
# directory (default bench/target/lang3-in-fibers). Prints, for both
# runs, tests found / succeeded / failed and wall time; the agent's "cannot rewrite" warnings and
# VerifyErrors; the tests that fail with the agent but pass without it. Exits 1 if there is any
# such test, warning or verify error.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
P="${1:-0.05}"
SEED="${2:-1}"
PROCS="${3:-1}"
LANG3=3.17.0
JUNIT_PLATFORM=1.14.1   # the platform release of the parent pom's JUnit 5.14.1
WORK="${LANG3_WORK:-$ROOT/bench/target/lang3-in-fibers}"
mkdir -p "$WORK"

if [ ! -f agent/target/weft-agent.jar ] || [ ! -f junit/target/weft-junit-0.1.0-SNAPSHOT.jar ]; then
  mvn -q -o package -pl agent,runtime,junit -DskipTests || exit 2
fi

# The suite's test dependencies, as lang3's pom names them; JUnit itself comes from the
# console launcher's standalone jar, so the resolved junit jars are left off the class path.
cat > "$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.weft.bench</groupId><artifactId>lang3-in-fibers</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-lang3</artifactId><version>$LANG3</version></dependency>
    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-lang3</artifactId><version>$LANG3</version><classifier>tests</classifier></dependency>
    <dependency><groupId>org.junit.platform</groupId><artifactId>junit-platform-console-standalone</artifactId><version>$JUNIT_PLATFORM</version></dependency>
    <dependency><groupId>org.junit-pioneer</groupId><artifactId>junit-pioneer</artifactId><version>1.9.1</version></dependency>
    <dependency><groupId>org.hamcrest</groupId><artifactId>hamcrest</artifactId><version>3.0</version></dependency>
    <dependency><groupId>org.easymock</groupId><artifactId>easymock</artifactId><version>5.4.0</version></dependency>
    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>1.12.0</version></dependency>
    <dependency><groupId>org.openjdk.jmh</groupId><artifactId>jmh-core</artifactId><version>1.37</version></dependency>
    <dependency><groupId>com.google.code.findbugs</groupId><artifactId>jsr305</artifactId><version>3.0.2</version></dependency>
    <dependency><groupId>org.ow2.asm</groupId><artifactId>asm</artifactId><version>9.10.1</version></dependency>
  </dependencies>
</project>
POM
if ! mvn -q -o -f "$WORK/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" >/dev/null 2>&1; then
  mvn -q -f "$WORK/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" || exit 2
fi
deps=$(tr ':' '\n' < "$WORK/deps.txt")
jar_of() { echo "$deps" | grep -E "$1" | head -1; }
LANG3_JAR=$(jar_of "/commons-lang3-$LANG3\.jar$")
TESTS_JAR=$(jar_of "/commons-lang3-$LANG3-tests\.jar$")
CONSOLE_JAR=$(jar_of "/junit-platform-console-standalone-")
ASM_JAR=$(jar_of "/asm-9[^/]*\.jar$")
CP=$(echo "$deps" | grep -v -E '/org/junit/(jupiter|platform)/|/org/ow2/asm/' | paste -sd:)

# Every method of lang3 and of its tests, suspendable.
LIST_DIR="$WORK/list"
java -cp "$ASM_JAR" lang3-smoke/src/test/java/dev/weft/lang3/SuspendablesList.java \
  "$LIST_DIR/META-INF/weft/suspendables" "$LANG3_JAR" "$TESTS_JAR" || exit 2

WEFT_CP="$ROOT/junit/target/weft-junit-0.1.0-SNAPSHOT.jar:$ROOT/runtime/target/weft-runtime-0.1.0-SNAPSHOT.jar"
# What lang3's own build passes to its tests on Java 16 and later (its reflection tests need it;
# without it they fail and leave ToStringStyle's registry dirty, failing every later test).
LANG3_OPENS="--add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED"
SELECT=${LANG3_SELECT:---scan-classpath $TESTS_JAR}
HEAP=${LANG3_HEAP:-512m}
JAVA_VERSION=$(java -version 2>&1 | grep -v "^Picked up" | head -1)

# run NAME EXTRA-CLASS-PATH JVM-OPTIONS... : one launcher run; output and XML report under
# $WORK/NAME.
run() {
  local name=$1 extra=$2
  shift 2
  rm -rf "${WORK:?}/$name"
  mkdir -p "$WORK/$name"
  local t0=$SECONDS
  # shellcheck disable=SC2086
  java -Xmx"$HEAP" $LANG3_OPENS "$@" -cp "$CONSOLE_JAR$extra:$CP" org.junit.platform.console.ConsoleLauncher execute \
    --disable-banner --details=summary --disable-ansi-colors --reports-dir "$WORK/$name" \
    $SELECT > "$WORK/$name/out.txt" 2> "$WORK/$name/err.txt"
  echo $((SECONDS - t0)) > "$WORK/$name/wall"
  echo "$JAVA_VERSION; $SELECT; -Xmx$HEAP" > "$WORK/$name/made-with"
}

# summary NAME : found / succeeded / failed / aborted / skipped from the launcher's summary.
summary() {
  local out="$WORK/$1/out.txt"
  count() { grep -E "[0-9]+ tests $1" "$out" | grep -oE '[0-9]+' | head -1; }
  echo "$1: $(count found) tests found, $(count successful) succeeded, $(count failed) failed," \
    "$(count aborted) aborted, $(count skipped) skipped; wall $(cat "$WORK/$1/wall") s"
}

# failures NAME : the failed tests of a run, one "class#name" a line, sorted.
failures() {
  python3 - "$WORK/$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
names = set()
for f in glob.glob(sys.argv[1] + "/*.xml"):
    for tc in ET.parse(f).getroot().iter("testcase"):
        if tc.find("failure") is not None or tc.find("error") is not None:
            names.add(tc.get("classname") + "#" + tc.get("name"))
for n in sorted(names):
    print(n)
PY
}

echo "Java: $JAVA_VERSION; -Xmx$HEAP; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "fibers: -Dweft.maxprocs=$PROCS -Dweft.stress.yield=$P -Dweft.stress.seed=$SEED"
run fibers ":$LIST_DIR:$WEFT_CP" -Djunit.jupiter.extensions.autodetection.enabled=true \
  -javaagent:"$ROOT/agent/target/weft-agent.jar" -Dweft.maxprocs="$PROCS" \
  -Dweft.stress.yield="$P" -Dweft.stress.seed="$SEED"
# The baseline: no agent, no WeftExtension (which needs the agent), lang3's tests as they are.
if [ "${LANG3_PLAIN:-}" = keep ] && [ -f "$WORK/plain/made-with" ] &&
  [ "$(cat "$WORK/plain/made-with")" = "$JAVA_VERSION; $SELECT; -Xmx$HEAP" ]; then
  echo "plain: the previous run, kept"
else
  run plain ""
fi
summary fibers
summary plain

warnings=$(cat "$WORK/fibers/out.txt" "$WORK/fibers/err.txt" | grep -c -i 'cannot rewrite')
verify=$(cat "$WORK/fibers/out.txt" "$WORK/fibers/err.txt" | grep -c 'VerifyError')
echo "\"cannot rewrite\" warnings: $warnings; VerifyError lines: $verify"
failures fibers > "$WORK/fibers/failed.txt"
failures plain > "$WORK/plain/failed.txt"
comm -23 "$WORK/fibers/failed.txt" "$WORK/plain/failed.txt" > "$WORK/only-in-fibers.txt"
echo "failing in fibers but passing plainly: $(grep -c . "$WORK/only-in-fibers.txt")"
grep . "$WORK/only-in-fibers.txt" | sed 's/^/  /'
echo "(output, reports and lists under $WORK)"
if [ -s "$WORK/only-in-fibers.txt" ] || [ "$warnings" -gt 0 ] || [ "$verify" -gt 0 ]; then
  exit 1
fi

#!/usr/bin/env bash
# The thorough jcstress pass over the runtime's lock-free structures (mvn verify runs the short
# "sanity" one). Usage: bench/jcstress.sh [mode] [extra jcstress options...]
#   mode: sanity | quick | default | tough | stress (default: stress)
# Results (HTML and text) go to jcstress/target/jcstress-results/. Every test of the module runs
# unless the options choose with -t, e.g.: bench/jcstress.sh quick -t FiberParkStress
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-stress}"
shift || true
# The class path is resolved in the same reactor build, so weft-runtime comes from its module's
# target/ (it is never installed); the jcstress module is built last and writes the file last.
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
mvn -q -DskipTests package dependency:build-classpath -Dmdep.outputFile="$cpfile" \
  -pl agent,runtime,jcstress -am
cp=$(cat "$cpfile")
# From jcstress/target: jcstress leaves its result blob in the working directory.
cd jcstress/target
select=(-t dev.weft)
for arg in "$@"; do
  if [ "$arg" = -t ]; then select=(); fi
done
java -cp "classes:$cp" org.openjdk.jcstress.Main "${select[@]}" -m "$mode" -r jcstress-results "$@"

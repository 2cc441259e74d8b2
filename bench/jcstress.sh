#!/usr/bin/env bash
# The thorough jcstress pass over the runtime's lock-free structures (mvn verify runs the short
# "sanity" one). Usage: bench/jcstress.sh [mode] [extra jcstress options...]
#   mode: sanity | quick | default | tough | stress (default: stress)
# Results (HTML and text) go to jcstress/target/jcstress-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-stress}"
shift || true
mvn -q -DskipTests package -pl runtime,jcstress -am
cp=$(mvn -q -pl jcstress dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java -cp "jcstress/target/classes:$cp" org.openjdk.jcstress.Main \
  -t dev.weft -m "$mode" -r jcstress/target/jcstress-results "$@"

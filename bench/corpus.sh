#!/usr/bin/env bash
# The corpus of real jars, long mode: every class of every corpus jar (groovy included, which CI
# leaves out for time) rewritten with every method suspendable, then loaded and verified by the
# JVM. Prints the table that docs/design.md shows ("Real jars and other compilers").
#
#   bench/corpus.sh            # all jars, with the JDK on PATH (or JAVA_HOME)
#   bench/corpus.sh --ci       # only the jars CI checks
#
# Fails, as CI does, on a verify error, an agent warning, a rewrite failure that
# conformance/src/test/resources/dev/weft/conformance/corpus/known-rewrite-failures.txt does not
# list, or a listed one that no longer fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

mode=all
if [ "${1:-}" = "--ci" ]; then
  mode=ci
fi

rm -rf conformance/target/corpus
start=$SECONDS
status=0
mvn -q -o verify -pl agent,runtime,conformance -Dtest='CorpusTest' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dweft.corpus="$mode" || status=$?

echo
echo "Java: $(java -version 2>&1 | head -1); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| jar | classes | methods with code | loaded | missing optional dependency (classes / rewrites) | load without agent (s) | load and rewrite (s) | link and verify (s) | child JVM wall (s) | rewrite failures |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for id in commons-lang3 commons-lang3-tests guava jackson-databind kotlin-stdlib scala-library groovy; do
  row="conformance/target/corpus/$id/row.md"
  if [ -f "$row" ]; then
    cat "$row"
  fi
done
echo
echo "corpus: $((SECONDS - start)) s, exit $status"
exit $status

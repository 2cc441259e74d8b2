#!/usr/bin/env bash
# Worker stack sizes against recursion: the deepest rewritten recursion that fits, and what a
# runaway recursion costs before its StackOverflowError (docs/scheduler.md has the table).
# Usage: bench/stack.sh [sizes...]   (default: 64m 128m 256m 1g)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests package
cp="runtime/target/weft-runtime-0.1.0-SNAPSHOT.jar:bench/target/classes"
run() { java -Xmx4g -javaagent:agent/target/weft-agent.jar "$@" 2>&1 | grep -v '^WARNING'; }
for size in "${@:-64m 128m 256m 1g}"; do
  for s in $size; do
    echo "== worker stack $s"
    run -Dweft.worker.stack="$s" -cp "$cp" dev.weft.bench.stack.RunawayRecursion
    for depth in 100000 1000000; do
      run -Dweft.worker.stack="$s" -cp "$cp" dev.weft.bench.stack.DeepRecursion "$depth"
    done
  done
done

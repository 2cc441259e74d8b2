#!/usr/bin/env bash
# The differential fuzzer of the rewrite in its long mode: generated programs run plainly and in
# fibers that suspend at every suspend point and at random ones, and must agree (see
# docs/design.md, "How the rewrite is tested").
#
#   bench/fuzz.sh FIRST COUNT SECONDS   # seeds [FIRST, FIRST+COUNT), stopping after SECONDS
#   bench/fuzz.sh 100000 1000000 3600   # an hour from seed 100000
#   bench/fuzz.sh 4242 1 60             # reproduce one seed (prints its program, shrunk)
#
# Failures print the seed, what differed, and the program shrunk (the first ten are shrunk).
# The surefire report of the run is in conformance/target/surefire-reports/.
set -euo pipefail

if [ $# -ne 3 ]; then
  sed -n '2,11p' "$0" >&2
  exit 64
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec mvn -B -o verify -pl agent,runtime,conformance \
  -Dtest=DifferentialFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dweft.fuzz.first="$1" -Dweft.fuzz.count="$2" -Dweft.fuzz.seconds="$3"

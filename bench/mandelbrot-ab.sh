#!/usr/bin/env bash
# Mandelbrot (workload W3) on two or more Weft builds and on a plain thread pool, side by side in
# one run: every round runs each build and the pool once at each parallelism, in turn, so that
# drift spreads evenly; then prints the median render time of each, its ratio to the pool's and
# each one's speed-up from one worker to the most asked. Meant for "did this change make compute
# cheaper": compare.sh measures one build only.
#
#   bench/mandelbrot-ab.sh old=/tmp/weft-old new=bench/target/ab-new
#   bench/mandelbrot-ab.sh --rounds 6 --procs "1 2" old=/tmp/weft-old nocheck=/tmp/weft-old:nopreempt
#
# Each LABEL=DIR names a folder holding weft-agent.jar and weft-bench.jar (copies, so that a build
# during the run cannot change what is measured); ":ARGS" after it passes ARGS to the agent
# (nopreempt: no back-edge checks). The pool runs the first build's bench jar, without the agent.
# Takes about (rounds x builds+1 x procs) x 3 s on 2 cores.
set -euo pipefail

ROUNDS=5
PROCS="1 2"
RUNS=5
WARMUPS=6 # as bench/compare.sh: past the JIT's last compilations of per-task code
SIZE=2048
ITERATIONS=200
JAVA="${JAVA17:-$(command -v java)}"
BUILDS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) shift; ROUNDS="$1" ;;
    --procs) shift; PROCS="$1" ;;
    --runs) shift; RUNS="$1" ;;
    --warmups) shift; WARMUPS="$1" ;;
    --size) shift; SIZE="$1" ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *=*) BUILDS+=("$1") ;;
    *) echo "mandelbrot-ab.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
[ "${#BUILDS[@]}" -gt 0 ] || { echo "mandelbrot-ab.sh: name at least one LABEL=DIR" >&2; exit 2; }
for b in "${BUILDS[@]}"; do
  dir="${b#*=}"
  dir="${dir%%:*}"
  for j in weft-agent.jar weft-bench.jar; do
    [ -f "$dir/$j" ] || { echo "mandelbrot-ab.sh: no $dir/$j" >&2; exit 2; }
  done
done
FIRST="${BUILDS[0]#*=}"
FIRST="${FIRST%%:*}"
ARGS=(--size "$SIZE" --iterations "$ITERATIONS" --runs "$RUNS" --warmups "$WARMUPS")
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT

# measure LABEL P COMMAND...: one fresh process, its median render time appended to OUT.
measure() {
  local label="$1" p="$2" line ms
  shift 2
  line="$("$@" | grep '^RESULT ' || true)"
  ms="$(sed -n 's/.*| ms=\([0-9.]*\).*/\1/p' <<<"$line")"
  [ -n "$ms" ] || { echo "mandelbrot-ab.sh: $label p=$p gave no result" >&2; return 0; }
  echo "$label $p $ms" >>"$OUT"
  printf '  %-12s p=%s %8.1f ms\n' "$label" "$p" "$ms"
}

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r of $ROUNDS"
  for p in $PROCS; do
    for b in "${BUILDS[@]}"; do
      label="${b%%=*}"
      spec="${b#*=}"
      dir="${spec%%:*}"
      agent="-javaagent:$dir/weft-agent.jar"
      [[ "$spec" == *:* ]] && agent="$agent=${spec#*:}"
      measure "$label" "$p" env GOMAXPROCS="$p" "$JAVA" "$agent" -cp "$dir/weft-bench.jar" \
        dev.weft.bench.compare.Compare mandelbrot weft --procs "$p" "${ARGS[@]}"
    done
    measure pool "$p" "$JAVA" -cp "$FIRST/weft-bench.jar" \
      dev.weft.bench.compare.Compare mandelbrot threads --procs "$p" "${ARGS[@]}"
  done
done

echo
echo "median ms over $ROUNDS rounds; ratio to the pool at the same parallelism; speed-up"
sort -k1,1 -k2,2n -k3,3g "$OUT" | awk -v procs="$PROCS" '
  { key = $1 " " $2; v[key, ++n[key]] = $3; labels[$1] = 1 }
  END {
    np = split(procs, ps, " ")
    for (k in n) { c = n[k]; med[k] = (c % 2) ? v[k, (c + 1) / 2] : (v[k, c / 2] + v[k, c / 2 + 1]) / 2 }
    for (l in labels) {
      line = sprintf("%-12s", l)
      for (i = 1; i <= np; i++) {
        k = l " " ps[i]
        if (!(k in med)) { continue }
        line = line sprintf("  p=%s %7.1f ms", ps[i], med[k])
        if (l != "pool" && ((("pool " ps[i])) in med)) {
          line = line sprintf(" (%+.1f%%)", 100 * (med[k] / med["pool " ps[i]] - 1))
        }
      }
      lo = l " " ps[1]; hi = l " " ps[np]
      if (np > 1 && (lo in med) && (hi in med)) { line = line sprintf("  speed-up %.2f", med[lo] / med[hi]) }
      print line
    }
  }' | sort

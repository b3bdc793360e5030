#!/usr/bin/env bash
# Smoke run of every benchmark: one short iteration each, no warm-up, one fork, the big cases
# made small (8-byte round trips, 2,000 pmap items, a 48x32 image, a 2 MB corpus). Each
# benchmark checks its own results (echo lengths and bytes, sums, images, the index), so an
# error means something is broken, not slow. Fails if any benchmark fails. Takes about half a
# minute on an idle 2-core machine. The same run is BenchmarksSmokeIT, in `mvn verify`.
#
# usage: pprocess-bench/smoke.sh [extra JMH options, e.g. a regexp or -p transport=socket]
# needs: mvn -q -B -pl pprocess-bench -am package -DskipTests
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
    echo "smoke: $jar is missing; build it with: mvn -q -B -pl pprocess-bench -am package -DskipTests" >&2
    exit 2
fi
log=$(mktemp "${TMPDIR:-/tmp}/pprocess-smoke.XXXXXX")
trap 'rm -f "$log"' EXIT

status=0
java -jar "$jar" -foe true -f 1 -wi 0 -i 1 -r 500ms \
    -p size=8 -p megabytes=1 -p items=2000 -p perItem=4 -p image=48x32 -p corpusMegabytes=2 "$@" 2>&1 | tee "$log" || status=$?
if [[ $status -ne 0 ]] || grep -q '<failure>' "$log"; then
    echo "smoke: FAILED (JMH exit status $status); see the output above" >&2
    exit 1
fi
if ! grep -q '^# Run complete' "$log"; then
    echo "smoke: FAILED: JMH did not complete a run (no benchmark matched?)" >&2
    exit 1
fi
echo "smoke: all benchmarks ran and checked their results"

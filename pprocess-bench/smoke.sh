#!/usr/bin/env bash
# Smoke run of every benchmark: one short iteration each, no warm-up, one fork. Each benchmark
# checks its own results (echo lengths and bytes, sums, the child's answer), so an error means
# something is broken, not slow. Fails if any benchmark fails. Takes about a minute or two.
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
java -jar "$jar" -foe true -f 1 -wi 0 -i 1 -w 1s -r 1s "$@" 2>&1 | tee "$log" || status=$?
if [[ $status -ne 0 ]] || grep -q '<failure>' "$log"; then
    echo "smoke: FAILED (JMH exit status $status); see the output above" >&2
    exit 1
fi
if ! grep -q '^# Run complete' "$log"; then
    echo "smoke: FAILED: JMH did not complete a run (no benchmark matched?)" >&2
    exit 1
fi
echo "smoke: all benchmarks ran and checked their results"

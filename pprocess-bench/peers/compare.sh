#!/usr/bin/env bash
# Runs the JMH benchmarks of pprocess-java and the Python multiprocessing peer in one go,
# prints a table of both with ratios (ours vs theirs) and the project's targets, and draws the
# PNG charts (io.pprocess.bench.report.Charts) into $OUT/charts.
#
# usage: pprocess-bench/peers/compare.sh
# environment (all optional):
#   JMH_ARGS    options of the timed benchmarks   (default: -f 1 -wi 2 -i 3 -w 1s -r 1s)
#   START_ARGS  options of StartBenchmark          (default: -f 1 -i 20; warm-ups as annotated:
#               5 per benchmark, 100 for spareStart; -wi overrides them all)
#   BENCH       regexp of the timed benchmarks     (default: RoundTrip|Stream|Pmap|Speedup|Indexer|Executor)
#   PEER_ARGS   options of peer_bench.py           (default when unset: --quick; set it empty for the full run)
#   OUT         directory for the JSON results     (default: pprocess-bench/target/compare)
# e.g. only the socket transport: JMH_ARGS="-f 1 -wi 2 -i 3 -p transport=socket" compare.sh
# needs: mvn -q -B -pl pprocess-bench -am package -DskipTests, and python3
set -euo pipefail

peers=$(cd "$(dirname "$0")" && pwd)
module=$(dirname "$peers")
jar="$module/target/benchmarks.jar"
out=${OUT:-$module/target/compare}
if [[ ! -f "$jar" ]]; then
    echo "compare: $jar is missing; build it with: mvn -q -B -pl pprocess-bench -am package -DskipTests" >&2
    exit 2
fi
mkdir -p "$out"
fail() {
    grep -m1 -B2 -A12 '<failure>' "$1" >&2 || tail -n 30 "$1" >&2
    echo "compare: JMH failed; the whole log is $1" >&2
    exit 1
}
read -r -a jmh_args <<< "${JMH_ARGS:--f 1 -wi 2 -i 3 -w 1s -r 1s}"
read -r -a start_args <<< "${START_ARGS:--f 1 -i 20}"
read -r -a peer_args <<< "${PEER_ARGS---quick}"

echo "compare: JMH ${BENCH:-RoundTrip|Stream|Pmap|Speedup|Indexer|Executor} ${jmh_args[*]}" >&2
java -jar "$jar" "${BENCH:-RoundTrip|Stream|Pmap|Speedup|Indexer|Executor}" -foe true "${jmh_args[@]}" \
    -rf json -rff "$out/results.json" > "$out/jmh.log" 2>&1 || fail "$out/jmh.log"
echo "compare: JMH Start ${start_args[*]}" >&2
java -jar "$jar" 'StartBenchmark' -foe true "${start_args[@]}" \
    -rf json -rff "$out/start-results.json" > "$out/jmh-start.log" 2>&1 || fail "$out/jmh-start.log"
echo "compare: python3 peer_bench.py ${peer_args[*]}" >&2
python3 "$peers/peer_bench.py" "${peer_args[@]}" > "$out/peer.json"

echo "JMH logs and JSON in $out"
python3 "$peers/table.py" --start-log "$out/jmh-start.log" "$out/results.json" "$out/start-results.json" "$out/peer.json"
echo
echo "charts:"
java -cp "$jar" io.pprocess.bench.report.Charts --peers "$out/peer.json" --out "$out/charts" \
    "$out/results.json" "$out/start-results.json"

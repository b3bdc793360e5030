#!/usr/bin/env bash
# The side-by-side runs of docs/performance.md, "Kept workers and cold children": raytrace
# against raytrace_pmap (children started, then kept workers), the indexer by window on
# JDK 25's java.base sources (with and without kept workers), a program's first pmap of
# 20,000 items, the levers for cold children (run 12's and run 20's compile thresholds), and JMH
# SpeedupBenchmark. About 5 minutes.
# Run from the repository root after "mvn -B -pl pprocess-bench -am package -DskipTests",
# under "buildslot --exclusive" on a shared machine. Workers are kept in target/kw and
# ended at the end.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p target
export PPROCESS_KEPT_WORKERS_DIR="$root/target/kw"
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64}
src=target/corpus/java.base
if [[ ! -d $src ]]; then
    (mkdir -p target/corpus && cd target/corpus && unzip -q "$J25/lib/src.zip" 'java.base/*')
fi
echo "cores: $(nproc); load: $(cat /proc/loadavg)"
TIMEFORMAT='wall %R s, user %U s, sys %S s'
run() { echo "--- $*"; time ( "$@" 2>&1 | grep -E "Time taken|indexed|stay for|items/s" ); }
ex=bin/pprocess-example
idx=bin/pprocess-indexer
stop() { bin/pprocess-workers --stop >/dev/null; }
stop
for round in 1 2; do
    run $ex raytrace
    run $ex raytrace_pmap --no-keep-workers
done
stop
run $ex raytrace_pmap          # starts the kept workers
run $ex raytrace_pmap          # kept workers
run $ex raytrace_pmap
run $ex raytrace
stop
run $ex raytrace --width 900 --height 600
run $ex raytrace_pmap --no-keep-workers --width 900 --height 600
for round in 1 2; do
    for w in 1 2 4; do run $idx --no-keep-workers -r --window $w --no-prompt $src; done
done
stop
run $idx -r --window 2 --no-prompt $src
for w in 2 1 2 1 2 4; do run $idx -r --window $w --no-prompt $src; done
stop
jar=pprocess-bench/target/benchmarks.jar
echo "--- first pmap, no kept workers"; java -cp $jar io.pprocess.bench.FirstPmap 20000 3
for r in 1 2 3; do echo "--- first pmap, run $r keeping workers"; java -cp $jar io.pprocess.bench.FirstPmap --keep 20000 3; done
stop
TIMEFORMAT='wall %R s'
lever() {
    local name=$1; shift
    for i in 1 2; do
        echo -n "$name: "
        ( time ( env "$@" $ex raytrace_pmap --no-keep-workers 2>&1 | grep -E "Time taken|rror" | tr '\n' ' ' ) ) 2>&1 | tr '\n' ' '
        echo
    done
}
for i in 1 2; do echo -n "serial raytrace: "; ( time ( $ex raytrace 2>&1 | grep "Time taken" | tr '\n' ' ' ) ) 2>&1 | tr '\n' ' '; echo; done
lever baseline PPROCESS_JVM_OPTIONS=
lever c1-only PPROCESS_JVM_OPTIONS=-XX:TieredStopAtLevel=1
lever c2-only PPROCESS_JVM_OPTIONS=-XX:-TieredCompilation
lever heap-256m PPROCESS_JVM_OPTIONS="-Xms256m -Xmn192m"
lever c1-one-compiler-thread PPROCESS_JVM_OPTIONS="-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
lever no-cds JAVA_OPTS=-Dpprocess.cds=false
lever compile-later-8 PPROCESS_JVM_OPTIONS=-XX:CompileThresholdScaling=8
lever compile-later-16 PPROCESS_JVM_OPTIONS=-XX:CompileThresholdScaling=16
for i in 1 2; do echo -n "serial raytrace (25): "; ( time ( JAVA_HOME=$J25 $ex raytrace 2>&1 | grep "Time taken" | tr '\n' ' ' ) ) 2>&1 | tr '\n' ' '; echo; done
lever jdk25-cds JAVA_HOME=$J25
lever jdk25-no-cds JAVA_HOME=$J25 JAVA_OPTS=-Dpprocess.cds=false
aot="$root/target/child.aot"
rm -f "$aot"
echo "AOT training run: $(JAVA_HOME=$J25 JAVA_OPTS=-Dpprocess.cds=false PPROCESS_JVM_OPTIONS=-XX:AOTCacheOutput=$aot \
    $ex raytrace_pmap --no-keep-workers --limit 1 2>&1 | grep -E 'Time|rror' | tr '\n' ' ')"
ls -la "$aot"
lever jdk25-aot JAVA_HOME=$J25 JAVA_OPTS=-Dpprocess.cds=false PPROCESS_JVM_OPTIONS=-XX:AOTCache=$aot
echo "--- JMH SpeedupBenchmark, load $(cat /proc/loadavg)"
java -jar $jar SpeedupBenchmark -f 1 -wi 2 -i 5 -rf json -rff target/speedup.json 2>&1 | grep -E "^Benchmark|^SpeedupBenchmark"
stop
echo "end, load: $(cat /proc/loadavg)"

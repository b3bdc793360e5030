#!/usr/bin/env bash
# Runs io.pprocess.bench.ClusterOverhead: a cluster pmap beside a local pmap, with node JVMs on
# 127.0.0.1, from the module jars (not benchmarks.jar: a node gives its job hosts its own
# pprocess jars without Hazelcast's). Build first: mvn -q -B -pl pprocess-bench -am package -DskipTests
# Usage: pprocess-bench/cluster.sh [--nodes 2] [--workers 1] [--items 20000] [--repeats 5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
deps="$root/pprocess-bench/target/classpath.txt"
if [[ ! -r "$deps" || ! -r pprocess-cluster/target/classpath.txt ]]; then
    echo "cluster.sh: build first: mvn -q -B -pl pprocess-bench -am package -DskipTests" >&2
    exit 2
fi
node_cp="$root/pprocess-cluster/target/classes:$root/pprocess-core/target/classes:$(<pprocess-cluster/target/classpath.txt)"
driver_cp="$root/pprocess-bench/target/classes:$root/pprocess-examples/target/classes:$root/pprocess-cluster/target/classes:$root/pprocess-core/target/classes:$(<"$deps")"
exec java -Dpprocess.cluster.nodeClassPath="$node_cp" -cp "$driver_cp" io.pprocess.bench.ClusterOverhead "$@"

#!/usr/bin/env bash
# Two Java threads each running ND4J sgemm on their own arrays (one OpenBLAS thread each) vs one thread doing both
# halves, next to a pure-Java loop split the same way: does the second core halve the time here?
# Usage: bench/gemm-threads.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
(cd "$here/.." && ./mvnw -q -B -DskipTests install -pl framework,envs,agents -am && ./mvnw -q -B -f bench/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/cp.txt) >&2
cp="$here/target/classes:$(cat "$here/target/cp.txt")"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| work | threads | p10 ms | median ms | p90 ms |"
echo "|---|---|---|---|---|"
OMP_WAIT_POLICY=PASSIVE java -Xmn8m -cp "$cp" org.mbrl4j.bench.GemmThreads 2>/dev/null | grep "^|"

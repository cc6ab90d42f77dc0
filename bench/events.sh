#!/usr/bin/env bash
# Event bus throughput into JSONL/TensorBoard sinks, and the logging overhead on a training loop.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
(cd "$here/.." && ./mvnw -q -B -DskipTests install && ./mvnw -q -B -f bench/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/cp.txt) >&2
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
OMP_WAIT_POLICY=PASSIVE java -Xmn8m -cp "$here/target/classes:$(cat "$here/target/cp.txt")" org.mbrl4j.bench.EventThroughput 2>/dev/null | grep bench

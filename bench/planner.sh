#!/usr/bin/env bash
# Planner throughput: imagined transitions per second of one CEM population evaluation (population 400 × horizon 30
# × 20 TS∞ particles) through an ensemble of 7 members of 4 × 200 SiLU (mbrl-lib's HalfCheetah PETS sizes), with 1
# and 2 ND4J threads, interleaved so both see the same machine load.
# Usage: bench/planner.sh [repeats]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
repeats="${1:-3}"
[ -f "$root/experiments/target/mbrl4j.jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests install) >&2
jar="$root/experiments/target/mbrl4j.jar"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| round | threads | seconds per evaluation (240k transitions) | transitions/s |"
echo "|---|---|---|---|"
for round in 1 2; do
  for threads in 1 2; do
    line=$(OMP_WAIT_POLICY=PASSIVE java -Xmn8m -cp "$jar" org.mbrl4j.cli.Main bench planner --threads "$threads" --repeats "$repeats" 2>/dev/null | grep '"planner"')
    echo "$line" | python3 -c "import json,sys; d=json.load(sys.stdin); print(f\"| $round | {d['threads']} | {d['evaluation_seconds']:.3f} | {d['transitions_per_sec']:.0f} |\")"
  done
done

#!/usr/bin/env bash
# A 12-task train-model sweep (NLL and PG × 6 seeds, 800 full-batch epochs on the HalfCheetah fixture, ≥ 10 s per
# task): wall time of the tasks one after another, the local engine (2 at once) and Spark local[2].
# Usage: bench/sweep.sh [epochs]   (ENGINES="local spark spark local" to repeat and interleave engines)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
epochs="${1:-800}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
zcat "$root/framework/src/test/resources/fixtures/halfcheetah-random/transitions.csv.gz" > "$work/t.csv"
cat > "$work/sweep.yaml" <<YAML
command: train-model
base: {data: $work/t.csv, epochs: $epochs}
grid: {objective: [nll, pg]}
seeds: 6
YAML
# build both launchers' jars and record their class-data archives (a build's first run does) before anything is timed
sed "s/epochs: $epochs/epochs: 1/; s/seeds: 6/seeds: 1/" "$work/sweep.yaml" > "$work/warmup.yaml"
"$root/mbrl4j" sweep "$work/warmup.yaml" --out "$work/warmup-local" > /dev/null 2>&1
MBRL4J_SPARK=1 "$root/mbrl4j" sweep "$work/warmup.yaml" --engine spark --master 'local[2]' --out "$work/warmup-spark" > /dev/null 2>&1
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| engine | wall s | mean task s | outside tasks s |"
echo "|---|---|---|---|"
i=0
for engine in ${ENGINES:-sequential local spark}; do
  i=$((i + 1))
  out="$work/$engine-$i"
  t0=$(date +%s.%N)
  case $engine in
    sequential) MBRL4J_SPARK=0 "$root/mbrl4j" sweep "$work/sweep.yaml" --threads 1 --out "$out" > "$work/$engine-$i.log" 2>&1 ;;
    local) "$root/mbrl4j" sweep "$work/sweep.yaml" --threads 2 --out "$out" > "$work/$engine-$i.log" 2>&1 ;;
    spark) MBRL4J_SPARK=1 "$root/mbrl4j" sweep "$work/sweep.yaml" --engine spark --master 'local[2]' --out "$out" > "$work/$engine-$i.log" 2>&1 ;;
  esac
  t1=$(date +%s.%N)
  # outside tasks: wall time minus the task seconds spread over the engine's threads (1 sequential, else 2)
  python3 - "$out/results.csv" "$engine" "$t0" "$t1" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
secs = [float(r["seconds"]) for r in rows]
wall = float(sys.argv[4]) - float(sys.argv[3])
threads = 1 if sys.argv[2] == "sequential" else 2
print(f"| {sys.argv[2]} | {wall:.1f} | {sum(secs) / len(secs):.1f} | {wall - sum(secs) / threads:.1f} |")
PY
done

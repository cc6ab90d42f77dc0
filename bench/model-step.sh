#!/usr/bin/env bash
# One full-batch training step (forward + backward + Adam, grad clip 10) of the reference MLP 23→64→64→17+17:
# mbrl4j vs plain PyTorch in lock step (python/step_pairs.py: the two processes take turns of two steps, the second
# timed, so every pair of steps sees the same machine load), PAIRS pairs per configuration.
# Usage: bench/model-step.sh [PAIRS] [OBJ:BATCH:THREADS,...] [REPEATS]   (creates bench/.venv with torch on first use)
#   e.g. bench/model-step.sh 150 pg:10000:2,nll:10000:2 3 — three runs of 150 pairs of each of two configurations
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
steps="${1:-150}"
configs="${2:-}"
repeats="${3:-1}"
if [ ! -x "$here/.venv/bin/python" ]; then python3 -m venv "$here/.venv"; fi
"$here/.venv/bin/python" -c "import torch" 2>/dev/null || "$here/.venv/bin/pip" install -q torch==2.13.0+cpu
[ -f "$root/experiments/target/mbrl4j.jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests install) >&2
jar="$root/experiments/target/mbrl4j.jar"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| objective | batch | threads | PyTorch ms | mbrl4j ms | PyTorch / mbrl4j (median of pairs) | quartiles |"
echo "|---|---|---|---|---|---|---|"
if [ -z "$configs" ]; then
  configs=$(for batch in 256 4096 10000; do for threads in 1 2; do for obj in mse nll pg; do printf '%s:%s:%s,' "$obj" "$batch" "$threads"; done; done; done)
fi
for r in $(seq "$repeats"); do
  python3 "$here/python/step_pairs.py" "$here/.venv/bin/python" "$here/python/torch_step.py" "$jar" "$steps" ${configs//,/ } |
    python3 -c 'import json,sys
for line in sys.stdin:
    d = json.loads(line)
    print("| %s | %d | %d | %.2f | %.2f | %.2f | %.2f–%.2f |" % (d["objective"], d["batch"], d["threads"], d["pytorch_ms_median"], d["mbrl4j_ms_median"], d["ratio_median"], d["ratio_q25"], d["ratio_q75"]), flush=True)'
done

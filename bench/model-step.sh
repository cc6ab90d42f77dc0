#!/usr/bin/env bash
# One full-batch training step (forward + backward + Adam, grad clip 10) of the reference MLP 23→64→64→17+17:
# mbrl4j vs plain PyTorch, interleaved config by config so both see the same machine load.
# Usage: bench/model-step.sh [STEPS] [OBJ:BATCH:THREADS,...] [REPEATS]   (creates bench/.venv with torch on first use)
#   e.g. bench/model-step.sh 50 pg:10000:2,nll:10000:2 8 — eight interleaved pairs of each of two configurations
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
steps="${1:-50}"
configs="${2:-}"
repeats="${3:-1}"
if [ ! -x "$here/.venv/bin/python" ]; then python3 -m venv "$here/.venv"; fi
"$here/.venv/bin/python" -c "import torch" 2>/dev/null || "$here/.venv/bin/pip" install -q torch
[ -f "$root/experiments/target/mbrl4j.jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests install) >&2
jar="$root/experiments/target/mbrl4j.jar"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| objective | batch | threads | PyTorch ms | mbrl4j ms | PyTorch / mbrl4j |"
echo "|---|---|---|---|---|---|"
if [ -z "$configs" ]; then
  configs=$(for batch in 256 4096 10000; do for threads in 1 2; do for obj in mse nll pg; do printf '%s:%s:%s,' "$obj" "$batch" "$threads"; done; done; done)
fi
for r in $(seq "$repeats"); do
  for config in ${configs//,/ }; do
    IFS=: read -r obj batch threads <<< "$config"
    t=$("$here/.venv/bin/python" "$here/python/torch_step.py" "$obj" "$batch" "$threads" "$steps" | python3 -c 'import json,sys; print(json.load(sys.stdin)["step_ms_median"])')
    j=$(OMP_WAIT_POLICY=PASSIVE java -Xmn8m -cp "$jar" org.mbrl4j.cli.Main bench model-step --objective "$obj" --batch "$batch" --threads "$threads" --steps "$steps" 2>/dev/null | grep '"impl"' | python3 -c 'import json,sys; print(json.load(sys.stdin)["step_ms_median"])')
    echo "| $obj | $batch | $threads | $t | $j | $(python3 -c "print(f'{$t/$j:.2f}')") |"
  done
done

#!/usr/bin/env bash
# HalfCheetah-v5 steps/s: native Python Gymnasium vs the same environment driven from Java through the bridge
# (single env and vector of 8), in alternating rounds. Uses the bridge's own venv (~/.cache/mbrl4j/python/gymnasium-*).
# Usage: bench/bridge-steps.sh [ENV_ID] [SECONDS_PER_ROUND] [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_id="${1:-HalfCheetah-v5}"
secs="${2:-1.5}"
rounds="${3:-9}"
(cd "$here/.." && ./mvnw -q -B -DskipTests install && ./mvnw -q -B -f bench/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/cp.txt) >&2
cp="$here/target/classes:$(cat "$here/target/cp.txt")"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python="$(ls -td "${MBRL4J_PYTHON_HOME:-$HOME/.cache/mbrl4j/python}"/gymnasium-*/ | while read d; do [ -f "$d/.mbrl4j-ready" ] && grep -q "gymnasium\[mujoco\]" "$d/.mbrl4j-ready" && echo "$d/bin/python" && break; done)"
java -cp "$cp" org.mbrl4j.bench.BridgeSteps "$env_id" "$secs" "$rounds" "$python" "$here/python/native_steps.py" 2>/dev/null

#!/usr/bin/env bash
# Native Java environments vs Python Gymnasium, side by side in one run: steps/s of Pendulum-v1 and CartPole-v1.
# Usage: bench/env-steps.sh [seconds-per-round]   (needs python3; creates bench/.venv with gymnasium on first use)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
secs="${1:-2}"
envs=(Pendulum-v1 CartPole-v1)
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install -q gymnasium==1.3.0
fi
(cd "$root" && ./mvnw -q -B -DskipTests install -pl framework,envs,agents -am && ./mvnw -q -B -f bench/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/cp.txt) >&2
cp="$here/target/classes:$(cat "$here/target/cp.txt")"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), java $(java -version 2>&1 | head -1)"
"$here/.venv/bin/python" "$here/python/env_steps.py" "$secs" "${envs[@]}"
OMP_WAIT_POLICY=PASSIVE java -Xmn8m -cp "$cp" org.mbrl4j.bench.EnvSteps "$secs" "${envs[@]}"

#!/usr/bin/env bash
# Cost per PETS action of the discrete planners next to CEM over a Box: one whole plan (population 100, 3 iterations,
# horizon 20, 10 TS∞ particles, ensemble 3 × 64,64 SiLU; PETS's CartPole settings) through an untrained ensemble built
# for each environment's spaces (discrete actions one-hot), one ND4J thread. Rotating rounds, so every planner sees the
# same machine load; the median of each configuration's rounds is printed last.
# Usage: bench/discrete-planners.sh [rounds] [repeats]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
rounds="${1:-3}"
repeats="${2:-20}"
[ -f "$root/experiments/target/mbrl4j.jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests install) >&2
jar="$root/experiments/target/mbrl4j.jar"
configs=("Pendulum-v1 cem" "Pendulum-v1 random" "CartPole-v1 cem-discrete" "CartPole-v1 random-discrete"
  "Acrobot-v1 cem-discrete" "MountainCar-v0 cem-discrete")
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
for round in $(seq "$rounds"); do
  for c in "${configs[@]}"; do
    set -- $c
    OMP_WAIT_POLICY=PASSIVE java -Xmn8m -cp "$jar" org.mbrl4j.cli.Main bench act --env "$1" --planner "$2" \
      --repeats "$repeats" 2>/dev/null | grep '"act"' >> "$tmp"
  done
done
python3 - "$tmp" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| env | actions | planner | model inputs | seconds per action (median of rounds) | rounds |")
print("|---|---|---|---|---|---|")
seen = []
for r in rows:
    k = (r["env"], r["planner"])
    if k not in seen:
        seen.append(k)
for env, planner in seen:
    rs = [r for r in rows if (r["env"], r["planner"]) == (env, planner)]
    actions = rs[0]["actions"] if rs[0]["actions"].startswith("Discrete") else "Box"
    secs = statistics.median(r["seconds_per_action"] for r in rs)
    each = ", ".join("%.3f" % r["seconds_per_action"] for r in rs)
    print("| %s | %s | %s | %d | %.3f | %s |" % (env, actions, planner, rs[0]["model_inputs"], secs, each))
PY

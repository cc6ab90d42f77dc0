#!/usr/bin/env bash
# Soak run: PETS on Pendulum-v1 (default sizes, NLL) for MINUTES minutes; the JVM's resident memory, open file
# descriptors and threads sampled every minute from /proc. Memory should be flat after the first 5 minutes
# (growth ≤ 20 MB per hour), descriptors and threads should not grow. Prints a Markdown table and a summary line.
# Usage: bench/soak.sh [minutes=60] [run-dir=/tmp/mbrl4j-soak]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
minutes="${1:-60}"
out="${2:-/tmp/mbrl4j-soak}"
[ -f "$root/experiments/target/mbrl4j.jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests install) >&2
rm -rf "$out"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $minutes minutes"
OMP_WAIT_POLICY=PASSIVE java -Xmn8m -cp "$root/experiments/target/mbrl4j.jar" org.mbrl4j.cli.Main run pets \
  --episodes 100000 --out "$out" > "$out.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
sample() {
  local rss fds threads steps
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  steps=$(grep -o '([0-9]* env steps' "$out.log" | tail -1 | tr -dc 0-9 || true)
  echo "| $1 | $rss | $fds | $threads | ${steps:-0} |"
}
echo "| minute | RSS MB | open fds | threads | env steps |"
echo "|---|---|---|---|---|"
for m in $(seq 0 "$minutes"); do
  [ "$m" -gt 0 ] && sleep 60
  kill -0 "$pid" 2>/dev/null || { echo "the run ended early; see $out.log" >&2; exit 1; }
  sample "$m"
done | tee "$out.table"
python3 - "$out.table" "$minutes" <<'PY'
import sys
rows = [l.strip("|\n").split("|") for l in open(sys.argv[1]) if l.startswith("| ") and not l.startswith("| minute")]
rows = [[float(x) for x in r] for r in rows]
after5 = [r for r in rows if r[0] >= 5]
if len(after5) >= 2:
    per_hour = (after5[-1][1] - after5[0][1]) / ((after5[-1][0] - after5[0][0]) / 60)
    print(f"RSS {after5[0][1]:.0f} MB at minute 5 → {after5[-1][1]:.0f} MB at minute {after5[-1][0]:.0f}: "
          f"{per_hour:+.1f} MB per hour; fds {rows[0][2]:.0f} → {rows[-1][2]:.0f}; threads {rows[0][3]:.0f} → {rows[-1][3]:.0f}")
PY

#!/usr/bin/env bash
# Soak run: PETS on Pendulum-v1 (default sizes, NLL) for MINUTES minutes; the JVM's resident memory, open file
# descriptors and threads sampled every minute from /proc. Memory should be flat after the first 5 minutes
# (growth ≤ 20 MB per hour), descriptors and threads should not grow. Prints a Markdown table (resident memory split
# into the Java heap's pages and everything else: native buffers, code, thread stacks) and a summary line.
# The run goes through the ./mbrl4j launcher, so its JVM flags and malloc settings are the ones measured; extra JVM
# flags come from MBRL4J_JAVA_OPTS as for any run.
# Usage: bench/soak.sh [minutes=60] [run-dir=/tmp/mbrl4j-soak]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
minutes="${1:-60}"
out="${2:-/tmp/mbrl4j-soak}"
[ -f "$root/experiments/target/mbrl4j.jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests install) >&2
rm -rf "$out"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $minutes minutes"
# no class-data archive step: the launcher then execs the JVM itself, so $! is the JVM
MBRL4J_CDS=0 "$root/mbrl4j" run pets --episodes 100000 --out "$out" > "$out.log" 2>&1 &
pid=$!
heap=""
for _ in $(seq 30); do
  sleep 1
  # the heap's reserved address range, "[0x..., 0x...)", from the JVM itself
  heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | grep -o '\[0x[0-9a-f]*, 0x[0-9a-f]*' | head -1 | tr -d '[ ') && [ -n "$heap" ] && break
done
trap 'kill "$pid" 2>/dev/null || true' EXIT
sample() {
  local rss fds threads steps heaprss
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  heaprss=$(python3 - "$pid" "$heap" <<'PY'
import sys
lo, hi = (int(x, 16) for x in sys.argv[2].split(",")) if sys.argv[2] else (0, 0)
kb, inside = 0, False
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    head = line.split()[0]
    if "-" in head and not head.endswith(":"):
        a, b = (int(x, 16) for x in head.split("-"))
        inside = lo <= a and b <= hi
    elif head == "Rss:" and inside:
        kb += int(line.split()[1])
print(kb // 1024)
PY
)
  threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  steps=$(grep -o '([0-9]* env steps' "$out.log" | tail -1 | tr -dc 0-9 || true)
  echo "| $1 | $rss | $heaprss | $((rss - heaprss)) | $fds | $threads | ${steps:-0} |"
}
echo "| minute | RSS MB | heap MB | other MB | open fds | threads | env steps |"
echo "|---|---|---|---|---|---|---|"
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
    heap_h = (after5[-1][2] - after5[0][2]) / ((after5[-1][0] - after5[0][0]) / 60)
    print(f"RSS {after5[0][1]:.0f} MB at minute 5 → {after5[-1][1]:.0f} MB at minute {after5[-1][0]:.0f}: "
          f"{per_hour:+.1f} MB per hour (heap {heap_h:+.1f}, other {per_hour - heap_h:+.1f}); "
          f"fds {rows[0][4]:.0f} → {rows[-1][4]:.0f}; threads {rows[0][5]:.0f} → {rows[-1][5]:.0f}")
PY

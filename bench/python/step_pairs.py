"""Training-step times of PyTorch and mbrl4j in lock step: the two processes take turns, so that every timed PyTorch
step has a timed mbrl4j step a few milliseconds away and both see the same machine load (on a shared host whose speed
changes by 1.5x from one second to the next, medians taken a minute apart do not compare). Each process waits on its
standard input while the other steps; who goes first alternates. A turn is two steps of which the second is timed,
so that neither pays for the other having evicted its caches or put its threads to sleep. Prints both medians and the
median, quartiles and minimum of the per-pair ratios PyTorch / mbrl4j, as one JSON line per configuration.
Usage: step_pairs.py TORCH_PYTHON TORCH_SCRIPT MBRL4J_JAR STEPS OBJ:BATCH:THREADS...
"""
import json
import os
import subprocess
import sys


def start(cmd, env=None):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                         env=env)
    for line in p.stdout:
        if line.strip() == "ready":
            return p
    raise SystemExit("%s ended before it was ready (exit %s)" % (cmd[0], p.wait()))


def turn(p):
    step(p)
    return step(p)


def step(p):
    p.stdin.write("\n")
    p.stdin.flush()
    line = p.stdout.readline()
    if not line:
        raise SystemExit("a benchmark process ended early (exit %s)" % p.wait())
    return float(line)


def quantile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def main():
    torch_python, torch_script, jar, steps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    for config in sys.argv[5:]:
        obj, batch, threads = config.split(":")
        torch = start([torch_python, torch_script, obj, batch, threads, str(2 * steps), "--lockstep"])
        java = start(["java", "-Xmn8m", "-cp", jar, "org.mbrl4j.cli.Main", "bench", "model-step", "--objective", obj,
                      "--batch", batch, "--threads", threads, "--steps", str(2 * steps), "--lockstep"],
                     # as .ci/run and the launcher run it (ND4J's OpenMP threads sleep between products); PyTorch keeps
                     # its own default (its threads spin between ops: passive waiting slows its step by ~40 %)
                     env=dict(os.environ, OMP_WAIT_POLICY="PASSIVE"))
        t, j = [], []
        for i in range(steps):
            if i % 2 == 0:
                t.append(turn(torch))
                j.append(turn(java))
            else:
                j.append(turn(java))
                t.append(turn(torch))
        for p in (torch, java):
            p.stdin.close()
            p.wait()
        ratios = [a / b for a, b in zip(t, j)]
        print(json.dumps({"objective": obj, "batch": int(batch), "threads": int(threads), "pairs": steps,
                          "pytorch_ms_median": round(quantile(t, 0.5), 3), "mbrl4j_ms_median": round(quantile(j, 0.5), 3),
                          "ratio_median": round(quantile(ratios, 0.5), 3), "ratio_q25": round(quantile(ratios, 0.25), 3),
                          "ratio_q75": round(quantile(ratios, 0.75), 3), "ratio_min": round(min(ratios), 3)}),
              flush=True)


if __name__ == "__main__":
    main()

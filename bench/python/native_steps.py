"""Native Python stepping of a Gymnasium environment, the counterpart of BridgeSteps.java, which drives this script
so that native rounds and bridge rounds alternate (a ratio per pair of neighbouring rounds is far less exposed to a
shared machine's drift than two blocks measured a minute apart). Reads lines `N SECONDS` on standard input: steps N
copies of the environment in a loop (what the bridge's vector call does inside Python) for SECONDS and prints the
steps per second. Environments and actions are made once per N."""
import sys
import time

import gymnasium as gym


def rate(envs, actions, seconds):
    # an untimed lead-in, as in BridgeSteps: the first steps after another process ran are slower
    lead_in = time.perf_counter() + min(0.02, seconds / 5)
    while time.perf_counter() < lead_in:
        for env in envs:
            if any(env.step(actions[0])[2:4]):
                env.reset()
    steps, t0 = 0, time.perf_counter()
    end = t0 + seconds
    while time.perf_counter() < end:
        for env in envs:
            _, _, term, trunc, _ = env.step(actions[steps & 1023])
            steps += 1
            if term or trunc:
                env.reset()
    return steps / (time.perf_counter() - t0)


def main(env_id):
    made = {}
    for line in sys.stdin:
        n, seconds = int(line.split()[0]), float(line.split()[1])
        if n not in made:
            envs = [gym.make(env_id) for _ in range(n)]
            for i, env in enumerate(envs):
                env.reset(seed=i)
            envs[0].action_space.seed(0)
            made[n] = envs, [envs[0].action_space.sample() for _ in range(1024)]
        print(rate(*made[n], seconds), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])

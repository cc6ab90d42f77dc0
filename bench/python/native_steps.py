"""Native Python stepping of a Gymnasium environment, the counterpart of BridgeSteps.java: one environment, and 8
copies stepped in a loop (what the bridge's vector call does inside Python). Median of 5 rounds after a warm-up."""
import json
import sys
import time

import gymnasium as gym


def rate(envs, actions, seconds):
    steps, t0 = 0, time.perf_counter()
    end = t0 + seconds
    while time.perf_counter() < end:
        for env in envs:
            _, _, term, trunc, _ = env.step(actions[steps & 1023])
            steps += 1
            if term or trunc:
                env.reset()
    return steps / (time.perf_counter() - t0)


def main(env_id, seconds):
    for n in (1, 8):
        envs = [gym.make(env_id) for _ in range(n)]
        for i, env in enumerate(envs):
            env.reset(seed=i)
        envs[0].action_space.seed(0)
        actions = [envs[0].action_space.sample() for _ in range(1024)]
        rate(envs, actions, seconds)
        rates = sorted(rate(envs, actions, seconds) for _ in range(5))
        print(json.dumps({"impl": "gymnasium (python)", "env": env_id, "envs": n, "steps_per_sec": round(rates[2]),
                          "gymnasium": gym.__version__}))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))

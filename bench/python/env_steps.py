"""Steps per second of Gymnasium environments made with gymnasium.make, the counterpart of EnvSteps.java:
pre-sampled random actions, reset at episode ends, median of 5 timed rounds after a warm-up round."""
import json
import sys
import time

import gymnasium as gym
import numpy as np


def one_round(env, actions, seconds):
    steps = 0
    start = time.perf_counter()
    end = start + seconds
    while True:
        for _ in range(1000):
            _, _, terminated, truncated, _ = env.step(actions[steps & 4095])
            steps += 1
            if terminated or truncated:
                env.reset()
        now = time.perf_counter()
        if now >= end:
            return steps / (now - start)


def main():
    seconds = float(sys.argv[1])
    for env_id in sys.argv[2:]:
        env = gym.make(env_id)
        env.action_space.seed(0)
        actions = [env.action_space.sample() for _ in range(4096)]
        env.reset(seed=0)
        one_round(env, actions, seconds)
        rates = sorted(one_round(env, actions, seconds) for _ in range(5))
        print(json.dumps({"impl": "gymnasium", "env": env_id, "steps_per_sec": round(rates[2]),
                          "gymnasium": gym.__version__, "numpy": np.__version__}))


if __name__ == "__main__":
    main()

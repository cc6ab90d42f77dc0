"""Records a Gymnasium trajectory in plain Python (no bridge) for mbrl4j's bridge equivalence test.
Usage: record_gym.py ENV_ID SEED STEPS  -> JSON {"obs0", "actions", "obs", "rewards", "terminated", "truncated"}"""
import json
import sys

import gymnasium as gym
import numpy as np


def main(env_id, seed, steps):
    env = gym.make(env_id)
    rng = np.random.default_rng(seed + 1000)
    obs, _ = env.reset(seed=seed)
    out = {"obs0": [float(x) for x in obs], "actions": [], "obs": [], "rewards": [], "terminated": [], "truncated": []}
    space = env.action_space
    for _ in range(steps):
        a = rng.uniform(space.low, space.high).astype(space.dtype)
        obs, reward, terminated, truncated, _ = env.step(a)
        out["actions"].append([float(x) for x in a])
        out["obs"].append([float(x) for x in np.asarray(obs, dtype=np.float64)])
        out["rewards"].append(float(reward))
        out["terminated"].append(bool(terminated))
        out["truncated"].append(bool(truncated))
        if terminated or truncated:
            break
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))

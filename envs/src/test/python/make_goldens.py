"""Record golden trajectories of Gymnasium's classic-control environments for mbrl4j's native ports.

Usage (from the repository root; needs only gymnasium==1.3.0 and numpy):

    python3 -m venv /tmp/goldens-venv && /tmp/goldens-venv/bin/pip install gymnasium==1.3.0
    /tmp/goldens-venv/bin/python envs/src/test/python/make_goldens.py envs/src/test/resources/goldens

For each environment it writes <id>.json.gz with several episodes. Every episode starts from reset(seed) — the
resulting simulator state `env.unwrapped.state` is recorded, so the Java side needs no NumPy random generator —
and applies a recorded action sequence (random actions, some outside the bounds to exercise clipping, or a simple
controller that reaches the goal, so that episodes both terminate and truncate). Observations, rewards and flags
after every step are recorded exactly (float32 observations as their exact double values).
"""
import gzip
import json
import os
import sys

import gymnasium as gym
import numpy as np


def run_episode(env_id, seed, policy, rng):
    env = gym.make(env_id)
    obs, _ = env.reset(seed=seed)
    state = [float(x) for x in np.asarray(env.unwrapped.state, dtype=np.float64)]
    episode = {"seed": seed, "state": state, "obs0": [float(x) for x in obs],
               "actions": [], "obs": [], "rewards": [], "terminated": [], "truncated": []}
    discrete = isinstance(env.action_space, gym.spaces.Discrete)
    while True:
        a = policy(obs, rng)
        action = int(a) if discrete else np.array([a], dtype=np.float32)
        obs, reward, terminated, truncated, _ = env.step(action)
        episode["actions"].append([float(a)] if discrete else [float(action[0])])
        episode["obs"].append([float(x) for x in obs])
        episode["rewards"].append(float(reward))
        episode["terminated"].append(bool(terminated))
        episode["truncated"].append(bool(truncated))
        if terminated or truncated:
            break
    env.close()
    return episode


def uniform(low, high):
    return lambda obs, rng: float(np.float32(rng.uniform(low, high)))


def choice(n):
    return lambda obs, rng: int(rng.integers(n))


ENVS = {
    "Pendulum-v1": [(1, uniform(-2.5, 2.5)), (2, uniform(-2.5, 2.5)),
                    (3, lambda o, r: float(np.float32(np.clip(-3.0 * o[1] - 0.5 * o[2], -2, 2))))],
    "CartPole-v1": [(1, choice(2)), (2, choice(2)), (3, choice(2)),
                    (4, lambda o, r: 1 if o[2] + 0.5 * o[3] > 0 else 0)],
    "MountainCarContinuous-v0": [(1, uniform(-1.2, 1.2)),
                                 (2, lambda o, r: float(np.float32(1.3 if o[1] >= 0 else -1.3))),
                                 (3, lambda o, r: float(np.float32(0.9 if o[1] >= 0 else -0.9))),
                                 (4, uniform(-0.2, 0.2))],
    "MountainCar-v0": [(1, choice(3)), (2, lambda o, r: 2 if o[1] >= 0 else 0)],
    "Acrobot-v1": [(1, choice(3)), (2, lambda o, r: 2 if o[4] >= 0 else 0),
                   (3, lambda o, r: 2 if o[4] + 0.3 * o[5] >= 0 else 0)],
}


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for env_id, episodes in ENVS.items():
        rng = np.random.default_rng(12345)
        data = {"env": env_id, "gymnasium": gym.__version__, "numpy": np.__version__,
                "episodes": [run_episode(env_id, seed, policy, rng) for seed, policy in episodes]}
        path = os.path.join(out_dir, env_id + ".json.gz")
        with gzip.open(path, "wt", encoding="utf-8") as f:
            json.dump(data, f)
        summary = ", ".join(f"{len(e['rewards'])} steps{' (terminated)' if e['terminated'][-1] else ''}"
                            for e in data["episodes"])
        print(f"{env_id}: {summary} -> {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "envs/src/test/resources/goldens")

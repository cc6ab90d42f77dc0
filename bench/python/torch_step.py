"""The reference model's training step in plain PyTorch, the counterpart of `mbrl4j bench model-step`.

MLP 23 -> 64 -> 64 (ReLU) with a linear mean head and a linear log-std head (the reference MLPPolicy), Adam lr 1e-3,
grad-norm clip 10, full batch; losses exactly as paper-notes section 3 (MSE, per-dimension NLL, REINFORCE PG with
G samples, U = I, lambda = 1). Prints the median step time as JSON; with --lockstep, prints `ready` after the
warm-up and then, for each timed step, waits for a line on standard input and prints the step's milliseconds (see
step_pairs.py).
Usage: torch_step.py OBJECTIVE BATCH THREADS [STEPS] [--lockstep]
"""
import json
import math
import sys
import time

import torch
from torch import nn


class MLPPolicy(nn.Module):
    def __init__(self, n_in=23, n_out=17, hidden=(64, 64)):
        super().__init__()
        layers, d = [], n_in
        for h in hidden:
            layers += [nn.Linear(d, h), nn.ReLU()]
            d = h
        self.net = nn.Sequential(*layers)
        self.mean = nn.Sequential(nn.Linear(d, n_out))
        self.log_std = nn.Sequential(nn.Linear(d, n_out))

    def forward(self, x):
        h = self.net(x)
        return self.mean(h), self.log_std(h)


def loss_fn(objective, model, x, y, generations=5, lam=1.0):
    m, log_std = model(x)
    std = log_std.exp()
    if objective == "mse":
        return ((m - y) ** 2).mean()
    dist = torch.distributions.Normal(m, std)
    if objective == "nll":
        return -dist.log_prob(y).mean()
    with torch.no_grad():
        samples = dist.sample((generations,))
        diff = samples - y
        rewards = -(diff * diff).sum(-1)
    nlp = -dist.log_prob(samples).mean(-1)
    return (nlp * rewards).mean() - lam * dist.entropy().mean()


def main():
    lockstep = "--lockstep" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--lockstep"]
    objective, batch, threads = args[0], int(args[1]), int(args[2])
    steps = int(args[3]) if len(args) > 3 else 50
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = MLPPolicy()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(batch, 23), torch.randn(batch, 17)
    times = []
    for s in range(steps + 10):
        if lockstep and s >= 10:
            if s == 10:
                print("ready", flush=True)
            if not sys.stdin.readline():
                raise SystemExit("standard input closed before the %d lock-step steps" % steps)
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(objective, model, x, y)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        if s >= 10:
            times.append((time.perf_counter() - t0) * 1000)
            if lockstep:
                print("%.3f" % times[-1], flush=True)
    times.sort()
    print(json.dumps({"impl": "pytorch", "torch": torch.__version__, "objective": objective, "batch": batch,
                      "threads": threads, "steps": steps, "step_ms_median": round(times[len(times) // 2], 3),
                      "step_ms_p10": round(times[len(times) // 10], 3), "step_ms_p90": round(times[(9 * len(times)) // 10], 3)}))


if __name__ == "__main__":
    main()

"""The reference the widget's training speed is judged against: a minimal hand-written numpy
loop doing the same epochs as the engine (same layer sizes, mini-batches, tanh hidden layers,
sigmoid output with mean binary cross-entropy, plain SGD), with no engine and no drawing.

The same file runs on CPython (``build.py bench``) and inside the bench's Pyodide worker in
Chromium (``bench/pages/reference-worker.js`` fetches it), so both figures time one loop.
"""

import time

import numpy as np


def make_problem(points, hidden, seed=0):
    """Random inputs and 0/1 labels (the cost of an epoch does not depend on their values) and
    Xavier-uniform weights for a 2-…-1 network."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(points, 2))
    y = (rng.uniform(size=(points, 1)) < 0.5).astype(float)
    sizes = [2, *hidden, 1]
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        bound = np.sqrt(6.0 / (n_in + n_out))
        params.append([rng.uniform(-bound, bound, size=(n_out, n_in)), np.zeros(n_out)])
    return x, y, params, rng


def hand_epoch(params, x, y, rng, batch, lr):
    """One epoch: shuffle, then forward, backward and SGD update per mini-batch."""
    order = rng.permutation(len(x))
    last = len(params) - 1
    for start in range(0, len(x), batch):
        idx = order[start:start + batch]
        acts = [x[idx]]
        for k, (w, b) in enumerate(params):
            z = acts[-1] @ w.T + b
            acts.append(0.5 * np.tanh(0.5 * z) + 0.5 if k == last else np.tanh(z))
        yb = y[idx]
        delta = (acts[-1] - yb) / yb.size  # ∂L/∂z of sigmoid + mean BCE
        for k in range(last, -1, -1):
            w, b = params[k]
            grad_w, grad_b = delta.T @ acts[k], delta.sum(axis=0)
            if k:
                delta = (delta @ w) * (1.0 - acts[k] * acts[k])
            w -= lr * grad_w
            b -= lr * grad_b


def epochs_per_second(points, hidden, batch, lr, seconds, warmup=3):
    """Epochs run in a fixed window of `seconds` after `warmup` epochs; also the epoch times."""
    x, y, params, rng = make_problem(points, hidden)
    for _ in range(warmup):
        hand_epoch(params, x, y, rng, batch, lr)
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        hand_epoch(params, x, y, rng, batch, lr)
        times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    times.sort()
    return {"epochs_per_s": len(times) / elapsed, "epoch_ms_min": times[0] * 1000,
            "epoch_ms_median": times[len(times) // 2] * 1000, "epochs": len(times)}


if __name__ == "__main__":
    import json
    import sys

    spec = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    print(json.dumps(epochs_per_second(spec.get("points", 250), spec.get("hidden", [8, 8]),
                                       spec.get("batch", 10), spec.get("lr", 0.03),
                                       spec.get("seconds", 2.0))))

"""Engine micro-benchmark: is the engine as fast as the plain numpy it is made of?

Measures, in one run (a and b interleaved, so that a noisy neighbour hurts both alike):

(a) one training epoch of a 2-8-8-1 network (tanh, tanh, sigmoid output, binary cross-entropy)
    on 500 points, mini-batches of 10, with the engine's own API (``Network.train_epoch``:
    shuffle + 50 steps of forward, backward, SGD update);
(b) the same arithmetic as a minimal hand-written numpy loop (no engine);
(c) the 100×100 grid with every neuron's output (``evaluation.grid_outputs``);
(f) the session's epoch as live training runs it (``Session.train`` in calls of 3 epochs: the
    epochs plus the history's losses on both splits after each one) on issue 8's spiral_8_8
    (250 training points), against the hand loop on the same points;
and, as context for on-demand commands, (d) a 25×25 loss-landscape slice and (e) the
diagnostics summary, both on the same 500 points.

Runs on CPython and inside Pyodide (no subprocess, no files): ``main()`` returns a dict and,
run as a script, prints it as one JSON document.

    PYTHONPATH=python python3 bench/engine_bench.py [--repeats 30]
"""

import copy
import datetime
import json
import os
import platform
import statistics
import sys
import time

try:
    import backprop  # noqa: F401  (installed wheel, e.g. inside Pyodide)
except ImportError:  # run from a checkout
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

import numpy as np

from backprop.datasets import make_dataset
from backprop.diagnostics import summarize
from backprop.evaluation import grid_outputs
from backprop.landscape import loss_slice
from backprop.network import Network
from backprop.session import Session

SIZES = [2, 8, 8, 1]
ACTIVATIONS = ["tanh", "tanh", "sigmoid"]
N_POINTS = 500
BATCH = 10
LEARNING_RATE = 0.03
GRID = 100
SPIRAL_8_8 = {"dataset": "spiral", "n_samples": 500, "val_fraction": 0.5, "hidden": [8, 8],
              "activation": "tanh", "batch_size": BATCH, "learning_rate": LEARNING_RATE}
SESSION_CALL_EPOCHS = 3


def make_network(seed=0):
    return Network(SIZES, ACTIVATIONS, "bce", seed=seed,
                   optimizer={"name": "sgd", "learning_rate": LEARNING_RATE})


def hand_epoch(params, X, Y, order, lr=LEARNING_RATE, batch=BATCH):
    """One epoch of plain numpy: the textbook forward/backward of a 2-8-8-1 tanh net with a
    sigmoid output and mean binary cross-entropy, updated in place by SGD."""
    W1, b1, W2, b2, W3, b3 = params
    for start in range(0, len(X), batch):
        idx = order[start:start + batch]
        x, y = X[idx], Y[idx]
        a1 = np.tanh(x @ W1.T + b1)
        a2 = np.tanh(a1 @ W2.T + b2)
        a3 = 0.5 * np.tanh(0.5 * (a2 @ W3.T + b3)) + 0.5  # sigmoid
        d3 = (a3 - y) / y.size                           # ∂L/∂z for sigmoid + mean BCE
        d2 = (d3 @ W3) * (1.0 - a2 * a2)
        d1 = (d2 @ W2) * (1.0 - a1 * a1)
        gW3, gb3 = d3.T @ a2, d3.sum(axis=0)
        gW2, gb2 = d2.T @ a1, d2.sum(axis=0)
        gW1, gb1 = d1.T @ x, d1.sum(axis=0)
        W3 -= lr * gW3
        b3 -= lr * gb3
        W2 -= lr * gW2
        b2 -= lr * gb2
        W1 -= lr * gW1
        b1 -= lr * gb1


def _stats(samples_s):
    ms = [s * 1000.0 for s in samples_s]
    return {"min_ms": round(min(ms), 4), "median_ms": round(statistics.median(ms), 4),
            "repeats": len(ms)}


def same_arithmetic(X, Y):
    """Largest difference between the engine's and the hand loop's weights after one epoch
    from the same start with the same shuffle (≈ 1e-16 means the same computation)."""
    net = make_network(seed=1)
    order = copy.deepcopy(net.rng).permutation(len(X))
    params = [p.copy() for p in net.parameters()]
    hand_epoch(params, X, Y, order)
    net.train_epoch(X, Y, batch_size=BATCH)
    return float(max(np.max(np.abs(a - b)) for a, b in zip(params, net.parameters())))


def session_pairs(repeats, warmup):
    """Per-epoch times of ``Session.train`` (calls of SESSION_CALL_EPOCHS) and of the hand loop
    on the session's training points, back to back and alternating which goes first."""
    s = Session(SPIRAL_8_8)
    X, Y = s.dataset.x_train, s.dataset.y_train
    params = [p.copy() for p in s.net.parameters()]
    rng = np.random.default_rng(0)
    k = SESSION_CALL_EPOCHS
    runs = (lambda: s.train(k),
            lambda: [hand_epoch(params, X, Y, rng.permutation(len(X))) for _ in range(k)])
    for _ in range(warmup):
        runs[0](), runs[1]()
    times = ([], [])
    for r in range(repeats):
        for which in ((0, 1) if r % 2 == 0 else (1, 0)):
            t0 = time.perf_counter()
            runs[which]()
            times[which].append((time.perf_counter() - t0) / k)
    return times


def main(repeats=30, warmup=3):
    ds = make_dataset("circle", n_samples=N_POINTS, noise=0.1, seed=0, val_fraction=0.0)
    X, Y = ds.x_train, ds.y_train
    net = make_network()
    hand_params = [p.copy() for p in net.parameters()]
    hand_rng = np.random.default_rng(0)
    clock = time.perf_counter

    for _ in range(warmup):
        net.train_epoch(X, Y, batch_size=BATCH)
        hand_epoch(hand_params, X, Y, hand_rng.permutation(len(X)))
        grid_outputs(net, ds.extent, GRID)

    # Engine and hand loop back to back, alternating which goes first, so that drift and
    # neighbours hurt both alike. The grid runs in its own loop: its large matrix products can
    # wake numpy's BLAS threads, which then slow whatever runs right after them.
    engine_t, hand_t, grid_t = [], [], []
    for r in range(repeats):
        for which in ((0, 1) if r % 2 == 0 else (1, 0)):
            t0 = clock()
            if which == 0:
                net.train_epoch(X, Y, batch_size=BATCH)
            else:
                # The hand loop's shuffle is timed too, as the engine's is.
                hand_epoch(hand_params, X, Y, hand_rng.permutation(len(X)))
            (engine_t if which == 0 else hand_t).append(clock() - t0)
    for _ in range(repeats):
        t0 = clock()
        grid_outputs(net, ds.extent, GRID)
        grid_t.append(clock() - t0)
    session_t, session_hand_t = session_pairs(repeats, warmup)

    slice_t, summary_t = [], []
    for _ in range(max(3, repeats // 6)):
        t0 = clock()
        loss_slice(net, X, Y, resolution=25)
        t1 = clock()
        summarize(net, X, Y)
        summary_t.append(clock() - t1)
        slice_t.append(t1 - t0)

    engine, hand, grid = _stats(engine_t), _stats(hand_t), _stats(grid_t)
    session, session_hand = _stats(session_t), _stats(session_hand_t)
    return {
        "benchmark": "engine_micro",
        "date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "machine": platform.machine(),
            "sys_platform": sys.platform,
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "numpy": np.__version__,
            "backprop": getattr(sys.modules.get("backprop"), "__version__", None),
        },
        "setup": {"layers": SIZES, "activations": ACTIVATIONS, "loss": "bce",
                  "optimizer": "sgd", "points": N_POINTS, "batch_size": BATCH,
                  "steps_per_epoch": N_POINTS // BATCH, "grid": [GRID, GRID],
                  "grid_neurons": sum(SIZES[1:])},
        "epoch_engine": engine,
        "epoch_hand_numpy": hand,
        "grid_all_neurons": grid,
        "landscape_slice_25x25": _stats(slice_t),
        "diagnostics_summary": _stats(summary_t),
        "ratio_engine_over_hand": {
            "min": round(engine["min_ms"] / hand["min_ms"], 3),
            "median": round(engine["median_ms"] / hand["median_ms"], 3),
            # Each repeat times both back to back, so the median of per-repeat ratios is the
            # figure least disturbed by other processes.
            "median_of_pairs": round(statistics.median(e / h for e, h in zip(engine_t, hand_t)), 3),
            "target_max": 1.2,
        },
        "same_arithmetic_max_abs_diff": same_arithmetic(X, Y),
        "epoch_session_spiral_8_8": session,
        "epoch_hand_numpy_spiral_8_8": session_hand,
        "ratio_session_over_hand": {
            "median": round(session["median_ms"] / session_hand["median_ms"], 3),
            "median_of_pairs": round(statistics.median(
                e / h for e, h in zip(session_t, session_hand_t)), 3),
        },
    }


if __name__ == "__main__":
    import argparse

    # prog is explicit: inside Pyodide sys.argv may be empty.
    parser = argparse.ArgumentParser(prog="engine_bench", description="Engine micro-benchmark")
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(sys.argv[1:])
    print(json.dumps(main(repeats=args.repeats), indent=2))

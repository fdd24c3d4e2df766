"""Optimizers compared on one loss landscape: the paths other optimizers would take from the
network's current weights, on the same data, for the same epochs, projected onto the plane of a
``loss_slice`` result (``landscape.project_path``). The session's network is never modified:
each optimizer trains its own copy, which keeps the network's random state (the same mini-batch
order) and, for the session's own optimizer, its state too, so that path is the one the
session's next epochs take."""

import numpy as np

from .errors import BackpropError, check_int
from .labels import label
from .landscape import project_path
from .optimizers import OPTIMIZER_NAMES, make_optimizer

MAX_OPTIMIZERS = 5
MAX_EPOCHS = 200
DEFAULT_EPOCHS = 30


def check_compare(names, epochs):
    """The optimizer names (distinct, known, at most ``MAX_OPTIMIZERS``) and the epochs."""
    ok = isinstance(names, (list, tuple)) and 0 < len(names) <= MAX_OPTIMIZERS and \
        all(isinstance(n, str) and n in OPTIMIZER_NAMES for n in names) and \
        len(set(names)) == len(names)
    if not ok:
        known = ", ".join(OPTIMIZER_NAMES)
        raise BackpropError(
            "invalid_compare", f"compare: 1 to {MAX_OPTIMIZERS} distinct optimizers of {known}",
            f"Para comparar hay que nombrar entre 1 y {MAX_OPTIMIZERS} optimizadores distintos "
            f"de esta lista: {known}.", "compare")
    return list(names), check_int(epochs, "compare_epochs", "invalid_compare_epochs",
                                  "epochs to compare", "Las épocas que se comparan",
                                  ge=1, le=MAX_EPOCHS)


def compare_paths(net, X, Y, names, epochs, batch, spec_for, landscape, lang="es"):
    """One path per optimizer: ``{"optimizer", "label", "alpha", "beta", "loss",
    "final_loss"}``, each starting at the current point; ``loss`` is the total loss (as the
    map) at every epoch. ``spec_for(name)`` is the optimizer spec with the session's settings.
    A path stops at the first epoch whose loss or weights are not finite."""
    out = []
    for name in names:
        clone = net.copy()
        if clone.optimizer.name != name:
            clone.optimizer = make_optimizer(spec_for(name))
        points, losses = [clone.get_flat_params()], [float(clone.total_loss(X, Y))]
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                clone.train_epoch(X, Y, batch)
                p = clone.get_flat_params()
                loss = clone.total_loss(X, Y)
                if not (np.isfinite(p).all() and np.isfinite(loss)):
                    break
                points.append(p)
                losses.append(float(loss))
        path = project_path(points, landscape)
        out.append({"optimizer": name, "label": label("optimizer", name, lang),
                    "alpha": path["alpha"], "beta": path["beta"],
                    "loss": losses, "final_loss": losses[-1]})
    return out

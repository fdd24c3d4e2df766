"""A session config turned into a network: the output layer and loss ``auto`` picks per task,
the optimizer's hyper-parameters, and errors that name the session's field."""

from .errors import BackpropError
from .network import Network

_AUTO_OUTPUT = {"binary": ("sigmoid", "bce"), "multiclass": ("softmax", "ce"),
                "regression": ("linear", "mse")}
_OPTIMIZER_HYPER = {"sgd": (), "momentum": ("momentum",), "nesterov": ("momentum",),
                    "rmsprop": ("alpha", "eps"), "adam": ("beta1", "beta2", "eps")}


def output_and_loss(c, task):
    out, loss = c["output_activation"], c["loss"]
    auto_out, auto_loss = _AUTO_OUTPUT[task]
    if out == "auto" and loss == "auto":
        return auto_out, auto_loss
    if out == "auto":
        out = {"bce": "sigmoid", "ce": "softmax"}.get(loss, auto_out)
        if out == "softmax" and task != "multiclass":
            out = auto_out
    if loss == "auto":
        loss = {"softmax": "ce"}.get(out) or ("bce" if out == "sigmoid" and task == "binary"
                                               else "mse")
    return out, loss


def optimizer_spec(c) -> dict:
    spec = {"name": c["optimizer"], "learning_rate": c["learning_rate"]}
    for key in _OPTIMIZER_HYPER[c["optimizer"]]:
        spec[key] = c[key]
    return spec


def _activation(name, c):
    """A config activation as the network takes it (leaky ReLU carries its slope)."""
    return {"name": name, "negative_slope": c["negative_slope"]} if name == "leaky_relu" else name


def build_network(c, dataset) -> Network:
    """A new network for config ``c`` on ``dataset``; its targets must suit the loss."""
    out, loss = output_and_loss(c, dataset.task)
    hidden = c["activations"] or [c["activation"]] * len(c["hidden"])
    acts = [_activation(a, c) for a in [*hidden, out]]
    try:
        # The weights have their own seed: new weights keep the data, new data keep the weights.
        net = Network(
            [2, *c["hidden"], dataset.n_outputs], acts, loss,
            init=c["init"], seed=c["init_seed"], init_gain=c["init_gain"],
            optimizer=optimizer_spec(c),
            l1=c["l1"], l2=c["l2"], clip_norm=c["clip_norm"], train_biases=c["train_biases"],
            batch_norm=c["batch_norm"], dropout=c["dropout"])
    except BackpropError as exc:
        # Name the session's field rather than the network's internal one.
        if exc.field in ("loss", "activations[0]") or (exc.field or "").startswith("activations"):
            exc.field = "loss" if exc.code == "incompatible_loss" else "output_activation"
        raise
    try:
        # The data set's targets must suit the loss (e.g. bce needs 0/1, ce one-hot).
        net.loss_fn.check_targets(dataset.y_train)
    except BackpropError as exc:
        exc.field = "loss"
        raise
    return net


def apply_training_settings(net, old, new, candidate):
    """Training-kind changes applied in place: weights, epoch and history continue; changing
    only the learning rate keeps the optimizer's state."""
    opt_changed = optimizer_spec(new) != optimizer_spec(old)
    only_lr = opt_changed and {**optimizer_spec(new), "learning_rate": 0} == {
        **optimizer_spec(old), "learning_rate": 0}
    if only_lr:
        net.optimizer.learning_rate = new["learning_rate"]
    elif opt_changed:
        net.optimizer = candidate.optimizer
    net.l1, net.l2 = new["l1"], new["l2"]
    net.clip_norm = new["clip_norm"]
    net.dropout = new["dropout"]
    net.train_biases = new["train_biases"]

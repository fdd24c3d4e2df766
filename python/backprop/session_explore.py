"""What a session shows about its network without training it: the next mini-batch, the
chain rule's paths, one neuron's computational graph, the gradient check and the loss
landscape. A mixin of ``Session`` (session.py), which owns the state these read."""

from . import compare as _compare
from . import landscape as _landscape
from .builder import optimizer_spec
from .errors import BackpropError, check_int

GRADCHECK_SAMPLES = 20


class SessionExplore:
    def batch_indices(self, indices=None) -> list:
        """``indices`` checked against the training set, or the next mini-batch in order (the
        one the next ``trace`` steps on), without advancing."""
        n = len(self.dataset.x_train)
        if indices is not None:
            from .trace import check_indices  # on first use (start-up)
            return check_indices(indices, n)
        start = self.trace_cursor % n
        return list(range(start, min(start + self.config["batch_size"], n)))

    def refuse_if_diverged(self, what):
        """A step on a diverged network shows nothing true: refused until a reset."""
        if self.status == "diverged":
            raise BackpropError("diverged", f"{what}: the network diverged; reset it first",
                                "La red ha divergido: reiníciala antes de dar otro paso.",
                                "status")

    def chain_rule(self, layer, j, i=None, indices=None) -> dict:
        """Every path from a weight (or, with ``i`` None, a bias) to the loss on the next
        mini-batch or on ``indices``; see ``chainrule.py``. Changes nothing."""
        idx = self.batch_indices(indices)
        self.refuse_if_diverged("chain_rule")
        ds = self.dataset
        from .chainrule import chain_rule  # on first use (start-up)
        result = chain_rule(self.net, ds.x_train[idx], ds.y_train[idx], layer, j, i,
                            self.config["lang"])
        result["indices"] = idx
        return result

    def autograd(self, layer, j, index=None) -> dict:
        """The computational graph of neuron ``j`` of ``layer`` on one training example (the
        first of the next mini-batch when ``index`` is None); see ``autograd.py``."""
        n = len(self.dataset.x_train)
        idx = self.batch_indices()[0] if index is None else check_int(
            index, "index", "invalid_index", "example index", "El índice del ejemplo",
            ge=0, le=n - 1)
        self.refuse_if_diverged("autograd")
        ds = self.dataset
        from .autograd import neuron_graph  # on first use (start-up)
        result = neuron_graph(self.net, ds.x_train[idx], ds.y_train[idx], layer, j,
                              self.config["lang"])
        result["index"] = idx
        return result

    def gradient_check(self, samples=GRADCHECK_SAMPLES) -> dict:
        ds = self.dataset
        n = min(samples, len(ds.x_train))
        from .gradcheck import check_gradients  # on first use (start-up)
        result = check_gradients(self.net, ds.x_train[:n], ds.y_train[:n])
        result["samples"] = n
        return result

    def landscape(self, compare=None, compare_epochs=None, **kwargs) -> dict:
        """The loss slice with the session's path; with ``compare`` (optimizer names), also
        the path each would take from here for ``compare_epochs`` (see ``compare.py``)."""
        ds = self.dataset
        if compare is not None:
            compare, compare_epochs = _compare.check_compare(
                compare, _compare.DEFAULT_EPOCHS if compare_epochs is None else compare_epochs)
        result = _landscape.loss_slice(self.net, ds.x_train, ds.y_train, **kwargs)
        try:
            result["path"] = _landscape.project_path([p.tolist() for p in self.path], result)
        except BackpropError:
            result["path"] = None
        if compare is not None:
            self.refuse_if_diverged("landscape")
            batch = min(self.config["batch_size"], len(ds.x_train))
            result["compare"] = _compare.compare_paths(
                self.net, ds.x_train, ds.y_train, compare, compare_epochs, batch,
                lambda name: optimizer_spec({**self.config, "optimizer": name}), result,
                self.config["lang"])
            result["compare_epochs"] = compare_epochs
        return result

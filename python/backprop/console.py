"""The reader's console namespace: Spanish names over the engine's public English API.

The ``terminal`` shortcode's console (docs/console.md) runs Python in the page's worker on one
widget's session. Its namespace is built here:

    red            the session's network: red.capas[0].pesos[j][i], .sesgos[j] (read and write)
    datos          the data set: datos.x, datos.y, datos.x_val, datos.y_val, datos.clases…
    entrenar(n)    Session.train, n epochs (stopped between epochs at the time limit)
    paso()         Session.trace: one step on the next mini-batch, returns its trace
    traza()        the last step's trace again
    predecir(x)    Network.predict on one point [x1, x2] or a list of points
    reiniciar()    Session.reset
    ayuda()        prints this list in Spanish

Every object resolves the session again at each use (``Registry.session``), so training from
the widget shows here, and a session the widget replaced (a new data set) is the one used.
Writes go through ``Session.set_parameter``, which validates: a refused value raises
``ValorRechazado`` with the engine's Spanish message and changes nothing. ``changed`` tells the
worker that the widget must redraw.
"""

import time

import numpy as np

from .console_text import num, say, seconds
from .errors import BackpropError

MAX_EPOCHS = 10_000  # one entrenar(n) call; the commands' train has the same bound


class ValorRechazado(ValueError):
    """A value the engine refused; the message is the engine's, in the console's language."""


ValorRechazado.__module__ = "builtins"  # tracebacks say ValorRechazado, not its module path


def _refused(exc: BackpropError, lang):
    return ValorRechazado(str(exc) if lang == "en" else exc.message_es)


class _View:
    """A live, read-only view of one engine array: what numpy and print see is a copy."""

    def _values(self):
        raise NotImplementedError

    def __getitem__(self, key):
        v = self._values()[key]
        return v.item() if np.ndim(v) == 0 else v.copy()

    def __len__(self):
        return len(self._values())

    def __array__(self, dtype=None, copy=None):
        return np.array(self._values(), dtype=dtype)

    @property
    def shape(self):
        return self._values().shape

    def tolist(self):
        return self._values().tolist()

    def __repr__(self):
        return repr(self._values().copy())


class _Row(_View):
    """One row of a weight matrix (``pesos[j]``), or a bias vector (``sesgos``)."""

    def __init__(self, get, put, shape_name, lang):
        self._get, self._put, self._name, self._lang = get, put, shape_name, lang

    def _values(self):
        return self._get()

    def __setitem__(self, i, value):
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool):
            raise ValorRechazado(say(self._lang, "one_value", name=self._name))
        n = len(self._values())
        self._put(i + n if i < 0 else i, value)

    def __iter__(self):
        return iter(self._values().tolist())


class _Matrix(_View):
    """``pesos`` of one layer: ``pesos[j][i]`` is the weight from input i to neuron j."""

    def __init__(self, console, layer):
        self._c, self._layer = console, layer

    def _values(self):
        return self._c.net.weights[self._layer - 1]

    def __getitem__(self, key):
        if isinstance(key, tuple) or not isinstance(key, (int, np.integer)) \
                or isinstance(key, bool):
            return super().__getitem__(key)
        n = len(self._values())
        j = key + n if key < 0 else key
        if not 0 <= j < n:
            raise IndexError(say(self._c.lang, "neurons", n=n, last=n - 1))
        return _Row(lambda: self._values()[j],
                    lambda i, v: self._c.set_parameter("weight", self._layer, j, i, v),
                    f"pesos[{j}]", self._c.lang)

    def __setitem__(self, key, value):
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ValorRechazado(say(self._c.lang, "one_weight"))
        self[key[0]][key[1]] = value

    def __iter__(self):
        return iter(self[j] for j in range(len(self)))


class Capa:
    """One layer of ``red``: ``pesos`` (neurons × inputs), ``sesgos``, ``activacion``."""

    def __init__(self, console, layer):
        self._c, self._layer = console, layer

    @property
    def pesos(self):
        return _Matrix(self._c, self._layer)

    @property
    def sesgos(self):
        return _Row(lambda: self._c.net.biases[self._layer - 1],
                    lambda j, v: self._c.set_parameter("bias", self._layer, j, None, v),
                    "sesgos", self._c.lang)

    @property
    def activacion(self):
        return self._c.net.activations[self._layer - 1]

    @property
    def neuronas(self):
        return self._c.net.sizes[self._layer]

    @property
    def entradas(self):
        return self._c.net.sizes[self._layer - 1]

    def __setattr__(self, name, value):
        if name.startswith("_"):
            return super().__setattr__(name, value)
        raise ValorRechazado(say(self._c.lang, "whole", name=name))

    def __repr__(self):
        return say(self._c.lang, "layer", k=self._layer, inputs=self.entradas,
                   neurons=self.neuronas, act=self.activacion)


class Red:
    """The session's network. ``red.capas[0]`` is the first hidden layer."""

    def __init__(self, console):
        self._c = console

    @property
    def capas(self):
        return tuple(Capa(self._c, k) for k in range(1, len(self._c.net.weights) + 1))

    @property
    def tamanos(self):
        return list(self._c.net.sizes)

    tamaños = tamanos

    @property
    def epoca(self):
        return self._c.session.epoch

    época = epoca

    @property
    def perdida(self):
        return self._c.session.history["loss"][-1]

    pérdida = perdida

    def __repr__(self):
        s = self._c.session
        sizes = " → ".join(str(n) for n in self._c.net.sizes)
        return say(self._c.lang, "red", sizes=sizes, epoch=s.epoch,
                   loss=num(self.perdida, self._c.lang))


class Datos:
    """The session's data (copies: change points from the widget's map)."""

    def __init__(self, console):
        self._c = console

    def _ds(self):
        return self._c.session.dataset

    x = property(lambda self: self._ds().x_train.copy())
    y = property(lambda self: self._ds().y_train.copy())
    x_val = property(lambda self: self._ds().x_val.copy())
    y_val = property(lambda self: self._ds().y_val.copy())
    clases = property(lambda self: list(self._ds().class_names or []))
    rasgos = property(lambda self: list(self._ds().feature_names))
    tarea = property(lambda self: self._ds().task)
    nombre = property(lambda self: self._ds().name)

    def __len__(self):
        return len(self._ds().x_train)

    def __repr__(self):
        ds, lang = self._ds(), self._c.lang
        return say(lang, "datos", name=ds.name, train=len(ds.x_train), val=len(ds.x_val),
                   task=say(lang, ds.task))


class Traza(dict):
    """One step's trace (``Session.trace``): a dict (``traza["events"]``…) that prints as
    one line per event."""

    SHOWN = 12
    lang = "es"

    def __repr__(self):
        events, lang = self.get("events", []), self.lang
        lines = [say(lang, "step", n=len(self.get("indices", [])),
                     before=num(self.get("loss"), lang), after=num(self.get("loss_after"), lang))]
        for e in events[:self.SHOWN]:
            value = e.get("value")
            shown = num(value, lang) if isinstance(value, (int, float)) else "…"
            lines.append(f"  {e.get('index', '')}. {e.get('label')}: {e.get('formula')} = {shown}")
        if len(events) > self.SHOWN:
            lines.append(say(lang, "more_events", n=len(events) - self.SHOWN))
        return "\n".join(lines)


class Console:
    """The namespace's owner: one widget session (``registry``, ``sid``), the flag that the
    widget must redraw, the last trace and the deadline ``entrenar`` respects."""

    def __init__(self, registry, sid, limit_s=5.0, lang="es"):
        self.registry, self.sid, self.limit_s, self.lang = registry, sid, limit_s, lang
        self.changed = False
        self.deadline = None  # monotonic time after which entrenar stops between epochs
        self.last_trace = None

    @property
    def session(self):
        return self.registry.session(self.sid)

    @property
    def net(self):
        return self.session.net

    def set_parameter(self, kind, layer, j, i, value):
        try:
            self.session.set_parameter(kind, layer, j, i, value)
        except BackpropError as exc:
            raise _refused(exc, self.lang) from None
        self.changed = True

    # -- the Spanish functions --------------------------------------------------------------

    def entrenar(self, n=1):
        """Entrena ``n`` épocas; devuelve la red."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_EPOCHS:
            raise ValorRechazado(say(self.lang, "epochs", max=MAX_EPOCHS))
        s, done = self.session, 0
        while done < n:
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise KeyboardInterrupt(say(self.lang, "stopped", n=done))
            s.train(1)
            done += 1
            self.changed = True
            if s.status == "diverged":
                print(say(self.lang, "diverged", epoch=s.epoch))
                break
        return Red(self)

    def paso(self):
        """Un paso de entrenamiento sobre el siguiente minilote; devuelve su traza."""
        try:
            self.last_trace = Traza(self.session.trace())
        except BackpropError as exc:
            raise _refused(exc, self.lang) from None
        self.last_trace.lang = self.lang
        self.changed = True
        return self.last_trace

    def traza(self):
        """La traza del último paso()."""
        if self.last_trace is None:
            print(say(self.lang, "no_trace"))
        return self.last_trace

    def predecir(self, x):
        """La salida de la red para un punto [x1, x2] o una lista de puntos."""
        X = np.asarray(x, dtype=float)
        one = X.ndim == 1
        try:
            out = self.net.predict(self.net.check_x(X[None, :] if one else X))
        except BackpropError as exc:
            raise _refused(exc, self.lang) from None
        return out[0] if one else out

    def reiniciar(self):
        """Vuelve a la época 0 con los pesos iniciales de la semilla."""
        self.session.reset()
        self.last_trace = None
        self.changed = True
        return Red(self)

    def ayuda(self):
        """Muestra los nombres preparados."""
        print(say(self.lang, "help", limit=seconds(self.limit_s, self.lang)))

    def namespace(self) -> dict:
        """The globals the reader starts with."""
        names = {"red": Red(self), "datos": Datos(self), "ValorRechazado": ValorRechazado,
                 "np": np, "__name__": "__console__", "__doc__": None}
        for name in ("entrenar", "paso", "traza", "predecir", "reiniciar", "ayuda"):
            names[name] = getattr(self, name)
        return names

"""backprop: a numpy backpropagation engine that shows every number of a training step."""

from .errors import BackpropError

__version__ = "0.1.0"
__all__ = ["BackpropError", "__version__"]

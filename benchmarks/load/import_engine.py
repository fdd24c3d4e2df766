# Import every engine module, as the widget's session will (run by both load benchmarks).
import importlib
import pkgutil

import backprop

for module in pkgutil.iter_modules(backprop.__path__):
    if module.name != "__main__":
        importlib.import_module("backprop." + module.name)

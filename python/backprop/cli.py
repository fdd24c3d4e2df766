"""Command line: worked examples for authors, and a check against other frameworks.

    python -m backprop trace CONFIG.json        one full-batch step, every number (JSON)
    python -m backprop train CONFIG.json        ``steps`` full-batch steps (JSON)
    python -m backprop example CONFIG.json --format markdown
                                                the same step as Spanish tables for a lesson

CONFIG.json may be ``-`` for standard input. An invalid config exits with code 2 and one line
on stderr that names the field and what was expected; so do a file that is not UTF-8, JSON
nested deeper than any config needs, and a network whose trace or training would be too much
work (bounded up front, before anything is built: ``MAX_TRACE_WORK``, ``MAX_TRAIN_WORK``).
"""

import argparse
import json
import sys

import numpy as np

from .activations import get_activation
from .errors import BackpropError, check_int
from .labels import label
from .network import Network
from .serialization import to_jsonable
from .trace import trace_step

# Bounds of one command's work, checked before the network is built. A trace writes numbers
# for every sample and parameter (samples × parameters); training does steps × samples ×
# parameters multiply-adds. Both leave room for any worked example and keep a run to seconds.
MAX_TRACE_WORK = 2_000_000
MAX_TRAIN_WORK = 20_000_000_000
MAX_JSON_DEPTH = 64


def _read_config(path):
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                raw = fh.read()
    except OSError as exc:
        raise BackpropError("unreadable_config", f"config: cannot read {path}: {exc.strerror}",
                            f"No se puede leer el archivo {path}: {exc.strerror}.", "config")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BackpropError(
            "not_utf8", f"config: not UTF-8 text (byte {exc.start})",
            f"El archivo no es texto UTF-8 (byte {exc.start}): guárdalo en UTF-8.", "config")
    _check_depth(text)
    try:
        config = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BackpropError(
            "invalid_json", f"config: invalid JSON at line {exc.lineno}, column {exc.colno}",
            f"El archivo no es JSON válido (línea {exc.lineno}, columna {exc.colno}).", "config")
    if not isinstance(config, dict):
        raise BackpropError("invalid_config", "config: expected a JSON object",
                            "La configuración debe ser un objeto JSON.", "config")
    return config


def _check_depth(text):
    """Refuses JSON nested deeper than MAX_JSON_DEPTH before parsing (the parser would recurse
    until Python's limit). Brackets inside strings are skipped."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise BackpropError(
                    "too_deep", f"config: JSON nested deeper than {MAX_JSON_DEPTH} levels",
                    f"El JSON está anidado en más de {MAX_JSON_DEPTH} niveles.", "config")
        elif ch in "]}":
            depth -= 1


def _check_work(config, command):
    """The command's total work from the declared sizes, before any array exists."""
    layers, inputs = config.get("layers"), config.get("inputs")
    if not (isinstance(layers, list) and all(isinstance(n, int) for n in layers)
            and isinstance(inputs, list)):
        return  # the network's own checks name what is wrong
    params = sum((a + 1) * b for a, b in zip(layers, layers[1:]))
    work = len(inputs) * params
    if command == "train":
        steps = config.get("steps", 1)
        work *= steps if isinstance(steps, int) and steps > 0 else 1
    limit = MAX_TRAIN_WORK if command == "train" else MAX_TRACE_WORK
    if work > limit:
        raise BackpropError(
            "too_much_work", f"layers: {len(inputs)} samples × {params} parameters"
            + (" × steps" if command == "train" else "") + f" exceed {limit:,}",
            f"Demasiado trabajo: {len(inputs)} muestras × {params} parámetros"
            + (" × pasos" if command == "train" else "") + f" superan {limit:,}".replace(",", " ")
            + "; usa una red o unos datos más pequeños.", "layers")


def _data(config, net):
    for key in ("inputs", "targets"):
        if key not in config:
            raise BackpropError(f"missing_{key}", f"{key}: required (one row per sample)",
                                f"Falta el campo {key} (una fila por muestra).", key)
    return net.check_xy(config["inputs"], config["targets"])


def _steps(config):
    return check_int(config.get("steps", 1), "steps", "invalid_steps", "steps",
                     "El número de pasos (steps)", ge=1, le=1_000_000)


def run_trace(config):
    net = Network.from_config(config)
    X, Y = _data(config, net)
    _steps(config)  # `trace` does one step, but the whole config must be valid
    return net, trace_step(net, X, Y)


def run_train(config):
    net = Network.from_config(config)
    X, Y = _data(config, net)
    steps = _steps(config)
    losses = [net.loss(X, Y)]
    for _ in range(steps):
        net.train_step(X, Y)
        losses.append(net.loss(X, Y))
    return {"losses": losses, "weights": [w.tolist() for w in net.weights],
            "biases": [b.tolist() for b in net.biases]}


def _num(x, decimals):
    """Spanish decimal comma, minus sign kept ASCII so tables paste anywhere."""
    if x is None or not np.isfinite(x):
        return "—"
    text = f"{x:.{decimals}f}"
    if float(text) == 0.0:
        text = text.lstrip("-")
    return text.replace(".", ",")


def _example_intro(cfg):
    """The worked example's first sentence: the network, its loss and its optimizer."""
    acts = [label("activation", get_activation(a).name) for a in cfg["activations"]]
    loss_es = label("loss", cfg["loss"])
    opt = cfg["optimizer"]
    opt_es = label("optimizer", opt["name"])
    opt_es = opt_es if opt_es.lower() == opt["name"] else f"{opt_es} ({opt['name']})"
    return (
        f"Red {'-'.join(map(str, cfg['layers']))}; activaciones: {', '.join(acts)}; función de "
        f"pérdida: {loss_es} (`{cfg['loss']}`); optimizador: {opt_es} con tasa de aprendizaje "
        f"η = {_num(opt['learning_rate'], 4).rstrip('0').rstrip(',')}"
        + ("" if cfg["train_biases"] else "; los sesgos no se entrenan") + ".")


def _example_updates(cfg, result, f):
    """Section 4 of the worked example: every weight and bias before and after the step."""
    sizes = cfg["layers"]
    lines = ["", "### 4. Gradientes y pesos nuevos", "",
             "Cada peso w conecta la neurona i de la capa anterior con la neurona j; "
             "∂L/∂w = δⱼ·aᵢ (sumado sobre las muestras) y w_nuevo = w − η·∂L/∂w "
             "(con SGD; otros optimizadores añaden sus términos).", ""]
    lines.append("| capa | de i | a j | peso antes | ∂L/∂w | peso después |")
    lines.append("|---|---|---|---|---|---|")
    old_w = cfg["weights_before"]
    for l in range(len(sizes) - 1):
        for j in range(sizes[l + 1]):
            for i in range(sizes[l]):
                lines.append(f"| {l + 1} | {i + 1} | {j + 1} | {f(old_w[l][j][i])} | "
                             f"{f(result['grad_weights'][l][j][i])} | "
                             f"{f(result['weights'][l][j][i])} |")
    lines += ["", "| capa | neurona | sesgo antes | ∂L/∂b | sesgo después |",
              "|---|---|---|---|---|"]
    old_b = cfg["biases_before"]
    for l in range(len(sizes) - 1):
        for j in range(sizes[l + 1]):
            lines.append(f"| {l + 1} | {j + 1} | {f(old_b[l][j])} | "
                         f"{f(result['grad_biases'][l][j])} | {f(result['biases'][l][j])} |")
    return lines


def markdown_example(net_before_cfg, result, X, Y, decimals=6) -> str:
    """A Spanish worked example: one table per stage of the step."""
    cfg = net_before_cfg
    n = len(X)
    sizes = cfg["layers"]
    f = lambda x: _num(x, decimals)  # noqa: E731
    samples = [f"muestra {s + 1}" for s in range(n)]
    lines = ["## Ejemplo resuelto: un paso de retropropagación", "", _example_intro(cfg)]
    lines += ["", "### 1. Propagación hacia adelante", ""]
    lines.append("| capa | neurona | " + " | ".join(f"z ({s}) | a ({s})" for s in samples) + " |")
    lines.append("|---|---|" + "---|---|" * n)
    for l, layer in enumerate(result["layers"]):
        for j in range(sizes[l + 1]):
            cells = " | ".join(f"{f(layer['z'][s][j])} | {f(layer['a'][s][j])}" for s in range(n))
            lines.append(f"| {l + 1} | {j + 1} | {cells} |")
    lines += ["", "### 2. Pérdida", ""]
    lines.append(f"L = {f(result['loss'])} (salidas frente a objetivos: "
                 + "; ".join("(" + ", ".join(f(v) for v in y) + ")" for y in Y) + ").")
    lines += ["", "### 3. Deltas (δ = ∂L/∂z), de la salida hacia atrás", ""]
    lines.append("| capa | neurona | " + " | ".join(f"δ ({s})" for s in samples) + " |")
    lines.append("|---|---|" + "---|" * n)
    for l in range(len(sizes) - 2, -1, -1):
        for j in range(sizes[l + 1]):
            lines.append(f"| {l + 1} | {j + 1} | "
                         + " | ".join(f(result["deltas"][l][s][j]) for s in range(n)) + " |")
    lines += _example_updates(cfg, result, f)
    lines += ["", f"Pérdida después del paso: L = {f(result['loss_after'])}.", ""]
    return "\n".join(lines)


def run_example(config, decimals):
    net = Network.from_config(config)
    X, Y = _data(config, net)
    _steps(config)
    cfg = net.config()
    cfg["weights_before"] = [w.tolist() for w in net.weights]
    cfg["biases_before"] = [b.tolist() for b in net.biases]
    result = trace_step(net, X, Y)
    return markdown_example(cfg, result, X.tolist(), Y.tolist(), decimals)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m backprop",
        description="Motor de retropropagación: cada número de un paso de entrenamiento.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("trace", help="un paso con lote completo; imprime JSON")
    p.add_argument("config")
    p.add_argument("--no-events", action="store_true", help="omite la lista de eventos")
    p = sub.add_parser("train", help="varios pasos con lote completo; imprime JSON")
    p.add_argument("config")
    p = sub.add_parser("example", help="ejemplo resuelto en español para una lección")
    p.add_argument("config")
    p.add_argument("--format", choices=["markdown"], default="markdown")
    p.add_argument("--decimals", type=int, default=6)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = _read_config(args.config)
        _check_work(config, args.command)
        if args.command == "trace":
            _, result = run_trace(config)
            if args.no_events:
                result.pop("events")
            out = json.dumps(to_jsonable(result), allow_nan=False, ensure_ascii=False)
        elif args.command == "train":
            out = json.dumps(to_jsonable(run_train(config)), allow_nan=False)
        else:
            if not 0 <= args.decimals <= 15:
                raise BackpropError("invalid_decimals", "--decimals: expected 0..15",
                                    "--decimals debe estar entre 0 y 15.", "decimals")
            out = run_example(config, args.decimals)
    except BackpropError as err:
        field = err.field or "config"
        print(f"backprop: error en '{field}': {err.message_es} ({err})", file=sys.stderr)
        return 2
    except (MemoryError, RecursionError) as exc:  # a backstop: the checks above come first
        print(f"backprop: error en 'config': demasiado grande para procesarlo "
              f"({type(exc).__name__})", file=sys.stderr)
        return 2
    sys.stdout.write(out + "\n")
    return 0

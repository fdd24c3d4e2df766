"""The contract: schema, command table and labels as one JSON-ready dict.

``python3 build.py contract`` writes ``describe()`` to widget/src/contract.js and
hugo-shortcodes/assets/backpropagation/contract.json and renders the tables in
docs/worker-protocol.md and docs/authoring.md from it (``tables()``). Nothing here is a fact
of its own: every value comes from ``schema``, ``commands`` or ``labels``.
"""

import json

from . import commands as _commands
from . import labels as _labels
from . import schema as _schema

VERSION = 1
# Config fields whose choices are named by another label group.
_LABEL_GROUP = {"output_activation": "activation", "activations": "activation"}


def _pair(t):
    return {"es": t[0], "en": t[1]}


def _field(f):
    d = {"type": f.type, "default": f.default, "kind": f.kind,
         "choices": list(f.choices) if f.choices else None,
         "min": f.min, "max": f.max,
         "min_exclusive": f.min_exclusive, "max_exclusive": f.max_exclusive}
    if f.type == "int_list":
        d.update(item_min=f.item_min, item_max=f.item_max, max_length=f.max_length)
    if f.type == "choice_list":
        d.update(max_length=f.max_length)
    d.update(widget=dict(f.widget) if f.widget else None, group=f.group,
             label=_pair(f.label), help=_pair(f.help), code=f.error_code)
    return d


def _arg(a):
    d = {"type": a.type, "default": a.default, "min": a.min, "max": a.max,
         "required": a.required}
    if a.choices:
        d["choices"] = list(a.choices)
    return d


def _command(c):
    return {"origin": c.origin, "doc": {"en": c.doc[0], "es": c.doc[1]},
            "args": {name: _arg(a) for name, a in c.args.items()}}


def _choice_labels():
    out = {}
    for f in _schema.FIELDS:
        group = _LABEL_GROUP.get(f.name, f.name)
        if f.type in ("choice", "choice_list") and group in _labels.LABELS:
            out[f.name] = {v: _labels.LABELS[group][v] for v in f.choices}
    return out


def _shortcode():
    params = {}
    for name, p in _schema.SHORTCODE["params"].items():
        p = dict(p)
        if "help" in p:
            p["help"] = _pair(p["help"])
        params[name] = p
    return {"name": _schema.SHORTCODE["name"], "params": params}


def describe() -> dict:
    """The CONTRACT object (shape in docs/architecture.md, "The contract")."""
    label_groups = {k: v for k, v in _labels.LABELS.items()}
    return {
        "version": VERSION,
        "config": {"order": list(_schema.ORDER),
                   "fields": {f.name: _field(f) for f in _schema.FIELDS}},
        "commands": {name: _command(c) for name, c in _commands.COMMANDS.items()},
        "labels": {"choices": _choice_labels(), **label_groups},
        "shortcode": _shortcode(),
    }


# ----- the generated Markdown tables in docs/ ------------------------------------------------

def _code(v):

    return f"`{json.dumps(v, ensure_ascii=False)}`"


def _n(v):
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _bounds(d):
    """"[10, 5000]", "> 0", "[0, 1)" or the choices."""
    if d.get("choices"):
        names = ", ".join(f"`{c}`" for c in d["choices"])
        return f"a list of up to {d['max_length']} of {names}" \
            if d.get("type") == "choice_list" and "max_length" in d else names
    if d.get("type") == "int_list" and "max_length" in d:
        return (f"up to {d['max_length']} sizes of {d['item_min']}..{d['item_max']}")
    lo, hi = d.get("min"), d.get("max")
    if lo is None and hi is None:
        return ""
    if lo is not None and hi is not None:
        return ("(" if d.get("min_exclusive") else "[") + f"{_n(lo)}, {_n(hi)}" + (
            ")" if d.get("max_exclusive") else "]")
    if lo is not None:
        return ("> " if d.get("min_exclusive") else "≥ ") + _n(lo)
    return ("< " if d.get("max_exclusive") else "≤ ") + _n(hi)


def _widget(d):
    w = d.get("widget") or {}
    return ", ".join(f"{k} {_n(v) if isinstance(v, (int, float)) else v}" for k, v in w.items())


def _config_table(c):
    rows = ["| field | type | default | engine accepts | widget offers | kind | meaning |",
            "|---|---|---|---|---|---|---|"]
    for name in c["config"]["order"]:
        d = c["config"]["fields"][name]
        rows.append(f"| `{name}` | {d['type']} | {_code(d['default'])} | {_bounds(d)} | "
                    f"{_widget(d)} | {d['kind']} | {_cell(d['help']['en'])} |")
    return "\n".join(rows)


def _commands_table(c):
    rows = ["| cmd | origin | args (type, default, bounds) | does |", "|---|---|---|---|"]
    for name, d in c["commands"].items():
        args = []
        for a, spec in d["args"].items():
            extra = [spec["type"]]
            if spec["required"]:
                extra.append("required")
            if spec["default"] not in (None, {}):
                extra.append(f"default {_code(spec['default'])}")
            if _bounds(spec):
                extra.append(_bounds(spec))
            args.append(f"`{a}` ({', '.join(extra)})")
        rows.append(f"| `{name}` | {d['origin']} | {'; '.join(args) or '—'} | "
                    f"{d['doc']['en']} |")
    return "\n".join(rows)


def _shortcode_table(c):
    fields = c["config"]["fields"]
    rows = ["| parameter | default | accepted values | meaning |", "|---|---|---|---|"]
    for name, p in c["shortcode"]["params"].items():
        if "field" in p:
            f = fields[p["field"]]
            d = {**f, **(f["widget"] or {})}
            if f["type"] == "int_list":
                d["max_length"] = (f["widget"] or {}).get("max_length", f["max_length"])
                accepted = (f"{p.get('min_length', 0)} to {d['max_length']} sizes of "
                            f"{d['item_min']}..{d['item_max']}, comma-separated")
            else:
                accepted = _bounds(d)
            default, meaning = _code(f["default"]), (p.get("help") or f["help"])["en"]
            if f["type"] == "int_list":
                default = _code(",".join(map(str, f["default"])))
            if name == "lang":
                default = "page language"
        else:
            accepted = _bounds(p) if p["type"] not in ("preset", "id") else (
                "a table of presets.toml" if p["type"] == "preset" else f"`{p['pattern']}`")
            default = "—" if p["default"] is None else _code(p["default"])
            meaning = p["help"]["en"]
        rows.append(f"| `{name}` | {default} | {accepted} | {meaning} |")
    return "\n".join(rows)


def _cell(text):
    return text.replace("|", "\\|")


def tables(contract=None) -> dict:
    """Markdown tables by marker name: docs/worker-protocol.md (commands, config) and
    docs/authoring.md (shortcode)."""
    c = contract or describe()
    return {"commands": _commands_table(c), "config": _config_table(c),
            "shortcode": _shortcode_table(c)}

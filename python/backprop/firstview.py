"""The first view of a configuration, computed ahead of time (docs/widget.md, "The first click").

Pyodide takes seconds to start, so ``build.py`` runs these same engine calls on CPython for
every preset and ships the replies beside the bundle: the widget draws the diagram, the data and
the boundary from them and replays the first step before the engine is ready. The calls are the
widget's own (create, snapshot, save, trace, save, snapshot), through the worker's
``Registry``, so the shipped numbers are the engine's replies. A file is found by ``config_key`` of the normalized
config and holds that config's canonical text, which the widget compares before using it.

The output neurons' maps (the decision boundary, drawn large) ship at the widget's ``grid``; the
hidden neurons' maps, drawn as thumbnails a few dozen pixels wide, ship at the coarser
``hidden_grid`` the widget already draws while training: the engine's live grid
(``live.py``: one float32 payload of blocks), which for 40 and 14 is every third line of the
same forward pass. That makes a deep preset's file about a third of its full-grid size.

Run as ``python -m backprop.firstview`` with ``{"configs": [...], "grid": 40, "hidden_grid":
14, "out": DIR}`` on stdin: writes ``DIR/<key>.json`` per config and ``DIR/index.json`` (the
keys), and prints what it wrote.
"""

from __future__ import annotations

import base64
import json
import sys
from decimal import Decimal
from pathlib import Path

from . import schema
from .commands import Registry

VERSION = 1
# The stepper's first "Siguiente" in "one example" mode traces the first training example.
FIRST_INDICES = [0]
_FNV_OFFSET, _FNV_PRIME = 0xCBF29CE484222325, 0x100000001B3


def _js_number(x) -> str:
    """A number as JavaScript's JSON.stringify writes it (1.0 → 1, 1e-05 → 0.00001, 1e-08 → 1e-8)."""
    if isinstance(x, int) or (x.is_integer() and abs(x) < 1e21):
        return str(int(x))
    text = repr(x)
    if "e" not in text:
        return text
    mantissa, exp = text.split("e")
    if -7 < int(exp) < 21:
        return format(Decimal(text), "f")
    return f"{mantissa}e{'+' if int(exp) > 0 else '-'}{abs(int(exp))}"


def _js_json(value) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return _js_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_js_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_js_json(str(k))}:{_js_json(value[k])}" for k in sorted(value)) + "}"
    raise TypeError(f"not a config value: {value!r}")


def canonical_config(config: dict, lang: str) -> str:
    """Every field (the schema's default where the config has none) and ``lang``, as sorted JSON
    written the way the widget's first-view.js writes it."""
    full = {f.name: f.default for f in schema.FIELDS}
    full.update(config)
    full["lang"] = lang
    return _js_json(full)


def config_key(canonical: str) -> str:
    """FNV-1a (64 bit) of the canonical text's UTF-8 bytes, 16 hex digits: the file's name."""
    h = _FNV_OFFSET
    for byte in canonical.encode("utf-8"):
        h = ((h ^ byte) * _FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def first_view(config: dict, lang: str, grid: int, hidden_grid: int | None = None) -> dict:
    """What the widget asks the engine first, asked of the engine: the initial snapshot (with the
    data), the saved session before and after the first step, that step's trace, and the
    snapshot after it. Its grid is the engine's live grid (hidden maps at ``hidden_grid``,
    whose float32 values travel as base64: the worker sends them as a typed array)."""
    registry = Registry()

    def call(cmd, args):
        reply = json.loads(registry.call("first", cmd, json.dumps(args)))
        if not reply["ok"]:
            raise ValueError(f"{cmd}: {reply['error']['message_en']}")
        return reply["result"], registry.take_buffer()

    def snapshot():
        snap, _ = call("snapshot", {})
        live, values = call("snapshot", {"grid": grid, "live": {"hidden_grid": hidden_grid or grid}})
        return {**snap, "grid": {**live["grid"], "values": base64.b64encode(values).decode("ascii")}}

    created, _ = call("create", {"config": {**config, "lang": lang}})
    before = snapshot()
    before["data"] = created["data"]
    saved_before, _ = call("save", {})
    traced, _ = call("trace", {"indices": FIRST_INDICES})
    saved_after, _ = call("save", {})
    after = snapshot()
    return {"version": VERSION, "config": canonical_config(config, lang), "grid": grid,
            "hidden_grid": hidden_grid or grid, "indices": FIRST_INDICES, "before": before,
            "trace": traced["trace"], "after": after,
            "saved": {"before": saved_before["state"], "after": saved_after["state"]}}


def write_first_views(configs: list[dict], grid: int, out: Path,
                      hidden_grid: int | None = None) -> tuple[list[Path], list[str]]:
    """One file per distinct (config, lang) in ``configs`` (each ``{"config", "lang", "name"}``);
    the configs the engine refuses are listed, not written."""
    out.mkdir(parents=True, exist_ok=True)
    written, refused = {}, []
    for item in configs:
        text = canonical_config(item["config"], item["lang"])
        key = config_key(text)
        if key in written:
            continue
        try:
            view = first_view(item["config"], item["lang"], grid, hidden_grid)
        except ValueError as exc:  # the widget will show the engine's refusal; nothing to ship
            refused.append(f"{item.get('name', key)}: {exc}")
            continue
        path = out / f"{key}.json"
        path.write_text(json.dumps(view, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written[key] = path
    # The widget asks for a file only when its key is listed (no failed request otherwise).
    (out / "index.json").write_text(json.dumps(sorted(written)), encoding="utf-8")
    return list(written.values()), refused


def main() -> int:
    job = json.load(sys.stdin)
    paths, refused = write_first_views(job["configs"], job["grid"], Path(job["out"]),
                                       job.get("hidden_grid"))
    print(json.dumps({"files": [p.name for p in paths], "refused": refused,
                      "bytes": sum(p.stat().st_size for p in paths)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

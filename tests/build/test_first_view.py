"""The first views build.py ships beside the bundle (python/backprop/firstview.py): one per
preset and language, holding exactly the engine's replies to the widget's first calls, named by
the key the widget computes (widget/src/first-view.js, run in Node), regenerated when a preset
changes and skipped when nothing did."""

import base64
import json
import subprocess
import sys

import numpy as np
import pytest

from support import REPO

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "python"))
import build  # noqa: E402
from backprop.commands import Registry  # noqa: E402
from backprop.firstview import canonical_config, config_key  # noqa: E402

GRID = build.grid_resolution()
HIDDEN_GRID = build.hidden_grid_resolution()
SKIP = ("grid", "history_cursor")
# Numbers JavaScript and Python print differently (1.0 / 1, 1e-05 / 0.00001, 1e-08 / 1e-8).
AWKWARD = [{"learning_rate": 1.0}, {"learning_rate": 1e-05}, {"eps": 1e-08}, {"l2": 2.5e-7},
           {"noise": 0.1, "hidden": [4, 2], "clip_norm": None}, {"eps": 1.5e-06}]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    out = tmp_path_factory.mktemp("first-view")
    report = build.write_first_views(out, build.preset_files(), force=True)
    return out, report


def engine_replies(config, lang):
    """The widget's first calls, asked of the engine here (not through firstview)."""
    reg = Registry()

    def call(cmd, args):
        reply = json.loads(reg.call("t", cmd, json.dumps(args)))
        assert reply["ok"], reply
        return reply["result"], reg.take_buffer()

    def snapshot():
        snap, values = call("snapshot", {"grid": GRID})
        # The grid as shipped: the hidden maps at the thumbnails' resolution (live.py).
        live, live_values = call("snapshot", {"grid": GRID, "live": {"hidden_grid": HIDDEN_GRID}})
        return snap, values, live["grid"], live_values

    created, _ = call("create", {"config": {**config, "lang": lang}})
    before = snapshot()
    saved_before, _ = call("save", {})
    trace, _ = call("trace", {"indices": [0]})
    saved_after, _ = call("save", {})
    after = snapshot()
    saved = {"before": saved_before["state"], "after": saved_after["state"]}
    return created, before, trace, after, saved


def same_maps_as_the_full_grid(grid, values, full_grid, full):
    """Every shipped map is the full grid's map of that neuron: the output at the same
    resolution, a hidden neuron at every ((GRID − 1) / (HIDDEN_GRID − 1))-th line of it."""
    R = full_grid["resolution"]
    maps = full.reshape(len(full_grid["neurons"]), R, R)
    index = {tuple(n): k for k, n in enumerate(full_grid["neurons"])}
    offset = 0
    for block in grid["blocks"]:
        r = block["resolution"]
        step = (R - 1) // (r - 1)
        assert (r - 1) * step == R - 1
        for n in block["neurons"]:
            shipped = values[offset:offset + r * r].reshape(r, r)
            assert np.array_equal(shipped, maps[index[tuple(n)]][::step, ::step], equal_nan=True), n
            offset += r * r
    assert offset == values.size and sum(len(b["neurons"]) for b in grid["blocks"]) == len(index)
    assert grid["blocks"][0]["resolution"] == R and grid["blocks"][-1]["resolution"] == min(R, HIDDEN_GRID)


def test_every_preset_and_language_has_a_file_named_by_its_key(shipped):
    out, report = shipped
    configs = build.preset_configs(build.preset_files())
    assert {c["name"] for c in configs} >= {"default", "unidad-02-diagrama"}
    assert {c["lang"] for c in configs} == {"es", "en"}
    keys = {config_key(canonical_config(c["config"], c["lang"])) for c in configs}
    assert report["refused"] == []
    assert {p.stem for p in out.glob("*.json")} - {"index"} == keys
    assert set(json.loads((out / "index.json").read_text())) == keys


@pytest.mark.parametrize("name", ["default", "unidad-02-diagrama", "unidad-08-desvanecimiento"])
def test_a_file_holds_the_engines_replies(shipped, name):
    out, _ = shipped
    item = next(c for c in build.preset_configs(build.preset_files()) if c["name"] == name)
    text = canonical_config(item["config"], item["lang"])
    view = json.loads((out / f"{config_key(text)}.json").read_text(encoding="utf-8"))
    created, before, trace, after, saved = engine_replies(item["config"], item["lang"])
    assert view["config"] == text and view["grid"] == GRID and view["indices"] == [0]
    assert view["hidden_grid"] == HIDDEN_GRID
    assert view["trace"] == trace["trace"]
    assert view["saved"] == saved
    assert view["before"]["data"] == created["data"]
    for shipped_snap, (snap, full, grid, values) in ((view["before"], before), (view["after"], after)):
        shipped_grid = {**shipped_snap["grid"]}
        assert base64.b64decode(shipped_grid.pop("values")) == values and shipped_grid == grid
        same_maps_as_the_full_grid(grid, np.frombuffer(values, "<f4"), snap["grid"], np.frombuffer(full, "<f4"))
        # history_cursor's first number counts the process's sessions (live.py), not the data.
        assert {k: v for k, v in shipped_snap.items() if k not in SKIP + ("data",)} == \
            {k: v for k, v in snap.items() if k not in SKIP}
    assert view["after"]["epoch"] == 0 and view["after"]["steps"] == 1


def test_the_widget_computes_the_same_text_and_key():
    configs = [(c["config"], c["lang"]) for c in build.preset_configs(build.preset_files())]
    configs += [(c, "es") for c in AWKWARD]
    script = ("import { canonicalConfig, configKey } from './widget/src/first-view.js';"
              "const items = JSON.parse(process.argv[1]);"
              "console.log(JSON.stringify(items.map(([c, l]) => { const t = canonicalConfig(c, l);"
              " return [t, configKey(t)]; })));")
    out = subprocess.run(["node", "--input-type=module", "-e", script, json.dumps(configs)],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout
    for (config, lang), (text, key) in zip(configs, json.loads(out)):
        assert text == canonical_config(config, lang), config
        assert key == config_key(text)


def test_a_sites_own_preset_gets_its_file_and_an_unchanged_build_skips(tmp_path):
    site = tmp_path / "site"
    folder = site / build.PRESETS / "presets"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('[mi-preset]\nhidden = [3]\nlang = "es"\nmode = "paso-a-paso"\n')
    files = build.preset_files(site)
    assert files[-1] == folder / "mine.toml"
    out = tmp_path / "out"
    first = build.write_first_views(out, files)
    key = config_key(canonical_config({"hidden": [3]}, "es"))
    assert f"{key}.json" in first["files"]
    assert build.write_first_views(out, files) == {"skipped": True}
    (folder / "mine.toml").write_text('[mi-preset]\nhidden = [5]\nlang = "es"\n')
    again = build.write_first_views(out, files)
    assert f"{config_key(canonical_config({'hidden': [5]}, 'es'))}.json" in again["files"]
    assert not (out / f"{key}.json").exists()

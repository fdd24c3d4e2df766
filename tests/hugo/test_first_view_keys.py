"""The example site's widgets, as Hugo writes their data-config, name the first-view files
build.py ships (the widget's key of data-config and data-lang; tests/build/test_first_view.py
checks the widget computes the key as the engine's firstview does)."""

import json
import shutil
import sys
from pathlib import Path

from hugosite import Tags
from support import EXAMPLE_SITE, REPO, hugo_build

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "python"))
import build  # noqa: E402
from backprop.firstview import canonical_config, config_key  # noqa: E402


def test_every_preset_on_the_example_site_finds_its_file(tmp_path):
    shutil.rmtree(EXAMPLE_SITE / "resources", ignore_errors=True)
    public = tmp_path / "public"
    result = hugo_build(EXAMPLE_SITE, public, env={"HUGO_RESOURCEDIR": str(tmp_path / "resources")})
    assert result.returncode == 0, result.stderr + result.stdout
    shipped = {config_key(canonical_config(c["config"], c["lang"]))
               for c in build.preset_configs(build.preset_files())}
    found: dict[tuple[str, str], bool] = {}
    for html in public.rglob("*.html"):
        for w in Tags(html.read_text(encoding="utf-8")).find("backprop-widget"):
            key = config_key(canonical_config(json.loads(w["data-config"]), w["data-lang"]))
            at = (w["data-preset"], w["data-lang"])
            found[at] = found.get(at, False) or key in shipped
    assert len({p for p, _ in found}) >= 13 and {lang for _, lang in found} == {"es", "en"}
    missing = sorted(at for at, ok in found.items() if not ok)
    assert not missing, f"presets whose widget names no shipped file: {missing}"

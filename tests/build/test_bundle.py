"""build.py's promises: verified downloads, a lock that matches the bundle, reproducible wheels."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from support import BUNDLE_DIR, REPO

sys.path.insert(0, str(REPO))
import build  # noqa: E402


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def bundle_lock():
    lock_path = BUNDLE_DIR / "pyodide-lock.json"
    if not lock_path.exists():
        pytest.fail("no bundle: run `python3 build.py bundle`")
    return json.loads(lock_path.read_text())


def test_lock_lists_exactly_the_bundled_wheels_with_their_hashes(bundle_lock):
    listed = {entry["file_name"] for entry in bundle_lock["packages"].values()}
    present = {p.name for p in BUNDLE_DIR.glob("*.whl")}
    assert listed == present
    for entry in bundle_lock["packages"].values():
        assert sha256(BUNDLE_DIR / entry["file_name"]) == entry["sha256"], entry["file_name"]


def test_lock_keeps_the_pyodide_version_and_makes_the_engine_depend_on_numpy(bundle_lock):
    official = json.loads((build.fetch_pyodide_core() / "pyodide-lock.json").read_text())
    assert bundle_lock["info"] == official["info"]
    assert bundle_lock["packages"]["backprop"]["depends"] == ["numpy"]
    assert bundle_lock["packages"]["backprop"]["imports"] == ["backprop"]


def test_official_wheels_ship_as_downloaded_or_py_compiled(bundle_lock):
    """Each official wheel (its download checked against the official sha256) ships as it is or
    py-compiled: the same files, .py as .pyc, every other file (the .so libraries) unchanged."""
    official = json.loads((build.fetch_pyodide_core() / "pyodide-lock.json").read_text())
    for name in ("numpy", "micropip", "packaging"):
        source = build.fetch_wheel(official["packages"][name])
        bundled = BUNDLE_DIR / bundle_lock["packages"][name]["file_name"]
        with zipfile.ZipFile(source) as a, zipfile.ZipFile(bundled) as b:
            names, shipped = a.namelist(), set(b.namelist())
            assert shipped in ({*names}, {n[:-3] + ".pyc" if n.endswith(".py") else n for n in names}), name
            for n in names:
                if not n.endswith(".py") and ".dist-info/" not in n:
                    assert a.read(n) == b.read(n), f"{name}: {n}"


def test_engine_wheel_holds_every_engine_module(bundle_lock):
    wheel = BUNDLE_DIR / bundle_lock["packages"]["backprop"]["file_name"]
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in (REPO / "python" / "backprop").glob("*.py"):
        stem = f"backprop/{source.stem}"
        assert f"{stem}.py" in names or f"{stem}.pyc" in names, source.name


def test_engine_wheel_is_reproducible(tmp_path):
    first = build.build_engine_wheel(tmp_path / "a")
    second = build.build_engine_wheel(tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        record = zf.read("backprop-0.1.0.dist-info/RECORD").decode()
        assert "backprop/__init__.py,sha256=" in record


def test_a_damaged_cached_wheel_stops_the_bundle_naming_the_file(tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(build.CACHE / f"pyodide-{build.PYODIDE_VERSION}", cache / f"pyodide-{build.PYODIDE_VERSION}")
    shutil.copytree(build.CACHE / "wheels", cache / "wheels")
    victim = next((cache / "wheels").glob("micropip-*.whl"))
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    before = sha256(BUNDLE_DIR / "pyodide-lock.json")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "bundle"], capture_output=True, text=True,
                            env={**os.environ, "BACKPROP_CACHE": str(cache)}, cwd=REPO, timeout=300)
    assert result.returncode == 2
    assert "sha256 mismatch" in result.stderr
    assert victim.name in result.stderr
    assert sha256(BUNDLE_DIR / "pyodide-lock.json") == before, "a failed build must leave the bundle alone"


def test_closure_follows_dependencies():
    lock = {"packages": {"a": {"depends": ["b"]}, "b": {"depends": ["c"]}, "c": {"depends": []}, "d": {"depends": []}}}
    assert build.closure(lock, ["a"]) == ["a", "b", "c"]


@pytest.mark.parametrize("output, expected", [
    ("....\n12 passed, 1 skipped in 0.3s\n", {"passed": 12, "failed": 0, "skipped": 1}),
    ("F.\n=== 1 failed, 3 passed, 2 errors in 1s ===\n", {"passed": 3, "failed": 3, "skipped": 0}),
    ("TAP version 13\n# tests 5\n# pass 4\n# fail 1\n# skipped 0\n", {"passed": 4, "failed": 1, "skipped": 0}),
    ("no tests ran in 0.01s\n", {"passed": 0, "failed": 0, "skipped": 0}),
])
def test_parse_counts_reads_pytest_and_tap_trailers(output, expected):
    assert build.parse_counts(output) == expected

"""Fixtures for the Hugo layer: real Hugo builds of temporary sites that use the module."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hugosite import write_site
from support import find_hugo, hugo_build


@pytest.fixture(scope="session")
def hugo_bin() -> str:
    return find_hugo()


@pytest.fixture
def build(tmp_path):
    """build(files, *args, env=None, source=None) -> (CompletedProcess, public dir)."""
    counter = iter(range(1000))

    def run(files: dict[str, str] | None = None, *args: str, env: dict | None = None,
            source: Path | None = None, binary: str | None = None):
        n = next(counter)
        site = source or write_site(tmp_path / f"site{n}", files or {})
        public = tmp_path / f"public{n}"
        # Hugo writes resources/ next to the sources unless told otherwise; keep the module clean.
        full_env = {"HUGO_RESOURCEDIR": str(tmp_path / f"resources{n}"), **(env or {})}
        if binary is None:
            return hugo_build(site, public, *args, env=full_env), public
        full_env = {**os.environ, "HUGO_CACHEDIR": str(tmp_path / ".hugo_cache"), **full_env}
        cmd = [binary, "--source", str(site), "--destination", str(public), "--noBuildLock", *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=300), public

    return run

"""The wheel carries the glossary: installed outside the repo, munitag tags with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """munitag built as a wheel and installed into a directory of its own."""
    work = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(work), str(ROOT)], check=True)
    (wheel,) = work.glob("munitag-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(work / "site"), str(wheel)], check=True)
    return work / "site"


def test_wheel_contains_glossary(installed: Path) -> None:
    assert (installed / "munitag" / "glossary" / "categories.yml").is_file()
    assert any((installed / "munitag" / "glossary" / "items").glob("*.yml"))


def test_installed_package_tags_from_another_directory(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    code = (
        "import json, munitag; from munitag import Tagger; "
        "print(json.dumps([munitag.__file__, [m.to_dict() for m in Tagger().tag('A PFM-1 and a MON-50.')]]))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    module_file, mentions = json.loads(proc.stdout)
    assert Path(module_file).is_relative_to(installed)  # not the checkout
    assert [(m["id"], m["start"], m["end"]) for m in mentions] == [("pfm-1", 2, 7), ("mon-50", 14, 20)]

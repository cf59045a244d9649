"""The wheel: it carries the glossary, the licence and type information, passes ``twine check
--strict``, and installed outside the repo, munitag tags with it."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import munitag

ROOT = Path(__file__).resolve().parents[1]


PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """munitag built as a wheel."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([*PIP, "wheel", "--no-deps", "--no-build-isolation", "-w", str(work), str(ROOT)], check=True)
    (built,) = work.glob("munitag-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Path:
    """The wheel installed into a directory of its own."""
    site = wheel.parent / "site"
    subprocess.run([*PIP, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    return site


def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(archive.read(name))


def test_wheel_passes_twine_check_strict(wheel: Path) -> None:
    """The package index would accept it and render its README (no warnings either)."""
    proc = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASSED" in proc.stdout


def test_wheel_carries_licence_and_type_information(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(licence).decode().startswith("MIT License")
    assert "munitag/py.typed" in names


def test_wheel_metadata_declares_licence_classifiers_and_version(wheel: Path) -> None:
    meta = _metadata(wheel)
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    classifiers = meta.get_all("Classifier")
    assert "Typing :: Typed" in classifiers
    assert {f"Programming Language :: Python :: 3.{minor}" for minor in (10, 11, 12, 13)} <= set(classifiers)
    assert meta["Version"] == munitag.__version__  # the one version source, read by hatch
    assert meta["Description-Content-Type"] == "text/markdown"


def test_readme_links_are_absolute() -> None:
    """A relative link would be broken on the package index."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = [target for target in re.findall(r"\]\(([^)\s]+)\)", readme) if target != "pfm-1"]  # ``[PFM-1](pfm-1)`` is output, in code
    assert [t for t in links if not t.startswith(("https://", "http://", "#"))] == []


def test_version_option_prints_the_one_version(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    proc = subprocess.run([sys.executable, "-m", "munitag", "--version"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == f"munitag {munitag.__version__}"


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

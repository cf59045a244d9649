"""``import munitag`` stays light: rendering and the CLI's heavy parts load only when used."""

import json
import subprocess
import sys


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; import json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


def test_library_import_does_not_load_rich() -> None:
    modules = loaded_after("import munitag; munitag.Tagger")
    assert "munitag.matcher" in modules
    assert not any(m == "rich" or m.startswith("rich.") for m in modules)


def test_tagging_does_not_load_rich() -> None:
    modules = loaded_after("from munitag import Tagger; Tagger().tag('PFM-1')")
    assert "rich" not in modules and "munitag.render" not in modules

"""The layers of the pipeline hold (pyproject.toml's import-linter contracts), and every module of
the program sits in one of them, so that a new module cannot slip past the contract."""

from __future__ import annotations

import inspect
import shutil
import sys
import tomllib

import pytest

from bestbits import config

PYPROJECT = tomllib.loads((config.REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGES = ("bestbits", "scrapers", "dashboards")


def _contract(contract_id: str) -> dict:
    contracts = PYPROJECT["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


def layered_modules() -> list[str]:
    names = []
    for layer in _contract("pipeline")["layers"]:
        names += [name.strip() for part in layer.split("|") for name in part.split(":")]
    return names


def program_modules() -> list[str]:
    """Every module and subpackage one level under the program's packages."""
    found = []
    for package in PACKAGES:
        folder = config.REPO_ROOT / package
        for path in sorted(folder.iterdir()):
            if path.name.startswith(("_", ".")):
                continue
            if path.suffix == ".py":
                found.append(f"{package}.{path.stem}")
            elif (path / "__init__.py").is_file():
                found.append(f"{package}.{path.name}")
    return found


def test_every_module_of_the_program_sits_in_a_layer() -> None:
    layered = layered_modules()
    outside = [module for module in program_modules()
               if not any(module == name or module.startswith(name + ".") for name in layered)]
    assert not outside, (f"{outside} are in no layer of pyproject.toml's import-linter contract "
                         "'pipeline': add each to the layer it belongs to")


def run_lint_imports(lint_imports, **options) -> int:
    """import-linter's check, with the options this version of it takes: `no_logo` came with
    the versions that need rich 14, which roc-validator (the test extra) holds back."""
    taken = inspect.signature(lint_imports).parameters
    return lint_imports(**{k: v for k, v in options.items() if k in taken})


def test_the_layer_contracts_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    lint_imports = pytest.importorskip("importlinter.cli", reason="import-linter is a test "
                                       "dependency: pip install -e '.[test]'").lint_imports
    monkeypatch.chdir(config.REPO_ROOT)
    assert run_lint_imports(lint_imports, no_logo=True) == 0, (
        "lint-imports: a contract is broken (see above)")


@pytest.mark.parametrize("module, reversed_import", [
    (None, None),  # the copy as it is keeps the contract: what breaks it is the one import
    ("scrapers/collect/site.py", "from bestbits.cli_arguments import add_data_dir"),
    ("bestbits/load/captures.py", "from scrapers.collect import warc_import"),
    ("scrapers/parse/mbox.py", "import requests"),
    ("bestbits/config.py", "from bestbits.load import build"),
])
def test_an_import_against_the_layers_breaks_the_contract(tmp_path, monkeypatch, module,
                                                          reversed_import) -> None:
    lint_imports = pytest.importorskip("importlinter.cli").lint_imports
    for name in ("pyproject.toml", *PACKAGES):
        source = config.REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.ipynb", "static"))
        else:
            shutil.copy(source, tmp_path / name)
    if module:
        with (tmp_path / module).open("a", encoding="utf-8") as handle:
            handle.write(f"\n{reversed_import}  # synthetic: the test's reversed import\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for package in PACKAGES:  # grimp finds packages through the import system
        monkeypatch.delitem(sys.modules, package, raising=False)
    assert run_lint_imports(lint_imports, no_logo=True, no_cache=True) == (1 if module else 0)

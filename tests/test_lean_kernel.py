"""A kernel that serves the pages loads neither pandas nor pyarrow (together ~125 MB of each
kernel), and networkx only when the networks page is drawn.

Each check runs in a fresh interpreter: a module the pytest process imported earlier would hide
an import the kernel makes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
HEAVY = ("pandas", "pyarrow")

# One state with filters set per page: the queries a visitor's filter runs, not only the defaults.
FILTERED = {
    "overview": "forum=IGF&from=2014&to=2016&kinds=events,statements",
    "events": "forum=IGF&year=2014",
    "statements": "forum=NETmundial&year=2014",
    "participation": "pfrom=2013&pto=2014&pforum=IGF&min=1",
    "networks": "period=2014",
    "sources": "table=statements",
}

KERNEL = """
import json, sys
from pathlib import Path

def loaded(*names):
    return sorted({m.split('.')[0] for m in sys.modules} & set(names))

import dashboards.live.app as app
from dashboards.data import DashboardData
from dashboards.pages import PAGE_IDS, definition
from dashboards.view_state import ViewState

seen = {"imported": loaded(*HEAVY, "networkx")}
data = DashboardData(Path(DB))
for page_id in [p for p in PAGE_IDS if p != "networks"] + ["networks"]:
    app.page_widget(data, ViewState(f"?page={page_id}"))
    app.page_widget(data, ViewState(f"?page={page_id}&{FILTERED[page_id]}"))
    definition(page_id).view(data, {})
    seen[page_id] = loaded(*HEAVY, "networkx")
print(json.dumps(seen))
"""


def kernel_imports(db: Path) -> dict[str, list[str]]:
    """What a fresh interpreter has loaded after importing the app, and after drawing each page
    (its default view, a filtered view in the live face, and the edition's view), in turn."""
    code = f"HEAVY = {HEAVY!r}\nFILTERED = {FILTERED!r}\nDB = {str(db)!r}\n" + KERNEL
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_kernel_draws_every_page_without_pandas_or_pyarrow(built_db):
    seen = kernel_imports(built_db)
    assert seen["imported"] == [], "importing the app loads " + ", ".join(seen["imported"])
    for page_id, modules in seen.items():
        assert not set(modules) & set(HEAVY), f"{page_id} loads {modules}"


def test_networkx_is_loaded_only_when_the_networks_page_is_drawn(built_db):
    seen = kernel_imports(built_db)
    before_networks = [page for page in seen if page not in ("imported", "networks")]
    assert all("networkx" not in seen[page] for page in ["imported", *before_networks]), seen
    assert "networkx" in seen["networks"]


@pytest.fixture(scope="module")
def list_db(tmp_path_factory) -> Path:
    from support.list_fixture_db import build_list_fixture_db

    return build_list_fixture_db(tmp_path_factory.mktemp("lean-list"))


def test_a_collected_list_is_drawn_without_pandas_or_pyarrow(list_db):
    """The participation page's statistics and the reply networks, which the embedded record's
    sample does not draw."""
    seen = kernel_imports(list_db)
    for page_id, modules in seen.items():
        assert not set(modules) & set(HEAVY), f"{page_id} loads {modules}"

"""A network is laid out the same in every process: the live app's kernels, the precomputed
views and the edition each draw it in a process of their own, and Python hashes strings
differently in each one (PYTHONHASHSEED)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent

LAYOUT = """
import json, sys
from pathlib import Path
from bestbits import networks
from dashboards.data import DashboardData

data = DashboardData(Path(sys.argv[1]))
def run(name, **params):
    return data.query(name, **params)
network = networks.cosignatory_network(run, networks.period_named(run, "all", 2012, 2019))
print(json.dumps([[r.id, r.x, r.y] for r in network.nodes]))
"""


def layout_in_a_process(db: Path, hash_seed: str) -> str:
    result = subprocess.run([sys.executable, "-c", LAYOUT, str(db)], capture_output=True,
                            text=True, timeout=300, cwd=ROOT,
                            env={**os.environ, "PYTHONHASHSEED": hash_seed})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_cosignatory_network_is_laid_out_the_same_whatever_the_string_hashing(built_db):
    layouts = {layout_in_a_process(built_db, seed) for seed in ("1", "2", "3")}
    assert len(layouts) == 1

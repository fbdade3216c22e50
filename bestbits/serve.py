"""Serve the dashboards with Voila: code hidden, no tracebacks, loopback unless told otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bestbits import config

APP_NOTEBOOK = config.DASHBOARDS_DIR / "bestbits.ipynb"

# A small pool: each preheated kernel holds pandas, plotly and duckdb (~150 MB), and the
# machine this runs on for most users is a laptop.
PREHEATED_KERNELS = 2
# The execution timeout (a page whose queries take longer than 60 s is stuck, not slow) is set
# in dashboards/jupyter/config/voila.py: it must spare the cell where preheated kernels wait.


def voila_command(db: Path, host: str, port: int, open_browser: bool = False,
                  preheat: bool = True) -> list[str]:
    return [
        sys.executable, "-m", "voila", str(APP_NOTEBOOK),
        f"--Voila.ip={host}",
        f"--port={port}",
        "--no-browser" if not open_browser else "--Voila.open_browser=True",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--preheat_kernel={preheat}",
        f"--pool_size={PREHEATED_KERNELS}",
        "--theme=light",
        "--template=bestbits",
    ]


def voila_environment(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["BESTBITS_DB"] = str(db.resolve())
    # Voila finds the offline page template (dashboards/jupyter/voila/templates/bestbits) here.
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [
        str(config.DASHBOARDS_DIR / "jupyter" / "config"), env.get("JUPYTER_CONFIG_PATH")]))
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(config.DASHBOARDS_DIR / "jupyter"),
                                                        env.get("JUPYTER_PATH")]))
    # The kernels import the dashboards package from the repository.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(config.REPO_ROOT),
                                                      env.get("PYTHONPATH")]))
    return env


def serve(db: Path, host: str = config.DEFAULT_HOST, port: int = config.DEFAULT_PORT,
          open_browser: bool = False) -> int:
    if not db.exists():
        print(f"No database at {db}. Build it first: bestbits build", file=sys.stderr)
        return 2
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Warning: listening on {host}: anyone who can reach this machine can open the "
              "dashboards.", file=sys.stderr)
    from dashboards.evidence import install_widget_bundle

    install_widget_bundle(config.DASHBOARDS_DIR)
    print(f"Serving the dashboards on http://{host}:{port}/ (database {db}); Ctrl-C stops.",
          file=sys.stderr)
    process = subprocess.Popen(voila_command(db, host, port, open_browser),
                               env=voila_environment(db), cwd=config.REPO_ROOT)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=10)
        return 0

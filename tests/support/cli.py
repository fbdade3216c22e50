"""Run the `bestbits` command as a user would: a separate process, its output captured."""

from __future__ import annotations

import os
import subprocess
import sys

from bestbits import config


def run_cli(*args: str, env: dict | None = None, timeout: float = 300
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bestbits.cli", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, cwd=config.REPO_ROOT,
                          timeout=timeout)

"""Code run in a fresh interpreter, from the checkout: what a module loads (pandas, a widget
library) can only be seen in a process that has imported nothing before it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).parent.parent.parent


def run_fresh(code: str, env: dict[str, str] | None = None, timeout: int = 300) -> str:
    """CODE's standard output; its standard error's end if it fails."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=timeout, cwd=CHECKOUT, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout

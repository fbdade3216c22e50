"""A database built for real from the SYNTHETIC list-words mbox (tests/fixtures/list_words/).

The path a researcher takes: `bestbits collect mbox FILE --data-dir DIR`, an opt-out file in
DIR/local/, then `bestbits build`. See the fixture's README for what each message exercises.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bestbits import config

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "list_words" / "words.mbox"
STATEMENT = "hrc-surveillance-2013"  # the real curated statement the synthetic talk leads to
OPTED_OUT_ADDRESS = "opted@example.org"
OPTED_OUT_NAME = "Olive Optedout"
# Addresses that stand in the messages' text (signature, attribution, mailto:, pipermail form):
# none of them may survive anywhere.
TEXT_ADDRESSES = ("sig.person", "plain.person", "linked.person", "quoted.person")
MADE_UP_WORD = "zanzibarisation"


def _bestbits(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "-m", "bestbits.cli", *args], cwd=config.REPO_ROOT,
                            capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"bestbits {' '.join(args)} failed ({result.returncode}):\n"
                           f"{result.stdout}\n{result.stderr}")


def build_list_words_db(folder: Path) -> Path:
    """Import the fixture, opt one poster out, build; returns the database path."""
    data, db = folder / "data", folder / "list-words.duckdb"
    (data / "local").mkdir(parents=True, exist_ok=True)
    (data / "local" / "opt_out.txt").write_text(f"# synthetic\n{OPTED_OUT_ADDRESS}\n")
    env = {**os.environ, "BESTBITS_SALT": "synthetic-test-salt"}
    env.pop("BESTBITS_DB", None)
    _bestbits("collect", "mbox", str(FIXTURE), "--list", "bestbits", "--data-dir", str(data),
              env=env)
    _bestbits("build", "--data-dir", str(data), "--db", str(db), env=env)
    return db

"""A database WITH mailing-list messages, for the Participation page: a SYNTHETIC mbox, built for real.

Everything in the mbox is made up (people named "... Example", example.* domains); nothing comes
from the Best Bits archive. It is written by `synthetic_mbox()` rather than kept as a file so
that the shape of the conversation (who answers whom, when, about which forum) reads as data
below. The database is built through the same path a researcher takes:
`bestbits collect mbox FILE --data-dir DIR`, then `bestbits build --data-dir DIR --db DB`.

What the mbox holds (34 messages, 2013-2015):
- six posters on five domains: Ana (example.org, the most active), Ben and Chloe (both
  example.net: one organisation, two posters), Dev (example.com), Eli (example.edu) and Fay
  (example.org, a single message: below the default per-person threshold of 3);
- threads whose subjects name the IGF, NETmundial, WSIS+10 and UNESCO, placed around the curated
  events of those forums (Bali 2013, NETmundial 2014, Istanbul 2014, Paris/UNESCO 2015, João
  Pessoa 2015), with replies carrying In-Reply-To so that the reply network has edges;
- newcomers in each year (Ana, Ben, Dev in 2013; Chloe, Eli in 2014; Fay in 2015), so that
  the cohort chart has three cohorts, and Dev's silence in 2014 makes the 2013 cohort's
  retention fall below one.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from bestbits import config

PEOPLE = {
    "ana": ("Ana Example", "ana@example.org"),
    "ben": ("Ben Example", "ben@example.net"),
    "chloe": ("Chloe Example", "chloe@example.net"),
    "dev": ("Dev Example", "dev@example.com"),
    "eli": ("Eli Example", "eli@example.edu"),
    "fay": ("Fay Example", "fay@example.org"),
}

# (first day of the thread, subject, [posters in order; each answers the message before])
THREADS: list[tuple[str, str, list[str]]] = [
    ("2013-09-02", "Preparing our meeting before the IGF in Bali", ["ana", "ben", "dev", "ana"]),
    ("2013-10-10", "IGF Bali: draft agenda for Best Bits", ["ana", "dev", "ben", "ana", "dev"]),
    ("2013-10-25", "Notes from the Bali meeting", ["ben", "ana"]),
    ("2014-03-20", "NETmundial submission: comments by Friday", ["ana", "chloe", "eli", "ana"]),
    ("2014-04-28", "After NETmundial: what next", ["chloe", "ana", "ben"]),
    ("2014-08-20", "Istanbul IGF side meeting logistics", ["eli", "ana", "chloe"]),
    ("2014-09-05", "Steering committee call", ["ben", "ana"]),
    ("2015-02-15", "WSIS+10 review: joint statement", ["ana", "ben", "chloe", "eli"]),
    ("2015-03-10", "UNESCO CONNECTing the Dots outcome", ["chloe", "fay", "ana"]),
    ("2015-11-01", "Joao Pessoa IGF: who is going?", ["ana", "dev", "ben", "eli"]),
]


def synthetic_mbox() -> bytes:
    """The mbox described in the module docstring, one message per poster of each thread."""
    parts = []
    number = 0
    for day, subject, posters in THREADS:
        start = datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)
        previous_id = None
        for position, who in enumerate(posters):
            number += 1
            name, address = PEOPLE[who]
            sent = start + timedelta(days=position, hours=position)
            message_id = f"<synthetic-{number}@{address.split('@')[1]}>"
            headers = [
                f"From {address}  {sent.strftime('%a %b %d %H:%M:%S %Y')}",
                f"From: {address} ({name})",
                f"Date: {format_datetime(sent)}",
                f"Subject: {'Re: ' if previous_id else ''}[bestbits] {subject}",
                f"Message-ID: {message_id}",
            ]
            if previous_id:
                headers.append(f"In-Reply-To: {previous_id}")
            body = f"Synthetic message {number} by {name} about: {subject}."
            parts.append("\n".join(headers) + "\n\n" + body + "\n")
            previous_id = message_id
    return ("\n".join(parts) + "\n").encode("utf-8")


MESSAGE_COUNT = sum(len(posters) for _day, _subject, posters in THREADS)


def _bestbits(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "-m", "bestbits.cli", *args], cwd=config.REPO_ROOT,
                            capture_output=True, text=True, env=env, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"bestbits {' '.join(args)} failed ({result.returncode}):\n"
                           f"{result.stdout}\n{result.stderr}")


def build_list_fixture_db(folder: Path) -> Path:
    """Import the synthetic mbox and build a database in FOLDER; returns the database path."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    mbox = folder / "synthetic-bestbits.mbox"
    mbox.write_bytes(synthetic_mbox())
    data, db = folder / "data", folder / "list-fixture.duckdb"
    # A fixed salt keeps the pseudonyms stable between runs of the test (never a real salt).
    env = {**os.environ, "BESTBITS_SALT": "synthetic-test-salt"}
    env.pop("BESTBITS_DB", None)
    _bestbits("collect", "mbox", str(mbox), "--data-dir", str(data), env=env)
    _bestbits("build", "--data-dir", str(data), "--db", str(db), env=env)
    return db


@pytest.fixture(scope="session")
def list_dashboard(tmp_path_factory):
    """The dashboards served for the synthetic list database (stopped after the session)."""
    from conftest import DashboardServer

    folder = tmp_path_factory.mktemp("list-fixture")
    server = DashboardServer(build_list_fixture_db(folder), folder / "voila.log")
    yield server
    server.stop()

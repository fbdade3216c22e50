"""A regular install works from any folder: build the wheel, install it into a fresh virtual
environment, and run `bestbits build`, `bestbits query events` and `bestbits publish` from a
temporary folder, with the checkout nowhere on the path. Nothing may be written into the
installed package while they run.

For speed the fresh environment sees the test environment's dependencies through a .pth file
(the wheel itself goes in with --no-deps); the wheel is built by pip, with build isolation (it
fetches setuptools from PyPI) unless the test environment's setuptools can build it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from bestbits import config

pytestmark = pytest.mark.skipif(not config.IN_CHECKOUT, reason="builds the wheel from a checkout")

PACKAGES = ("bestbits", "dashboards", "scrapers")


def run(*args, cwd: Path, env: dict | None = None, timeout: float = 600) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def setuptools_can_build() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 77


def snapshot(site_packages: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(site_packages)): (p.stat().st_size, p.stat().st_mtime_ns)
            for name in PACKAGES for p in (site_packages / name).rglob("*")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    isolation = ["--no-build-isolation"] if setuptools_can_build() else []
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", *isolation,
        "--wheel-dir", tmp / "dist", config.REPO_ROOT, cwd=tmp)
    wheel = next((tmp / "dist").glob("bestbits_archive-*.whl"))
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet",
        wheel, cwd=tmp)
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                             cwd=tmp).strip())
    # Only now the test environment's dependencies become visible (so pip above saw none of
    # them, and did not see the checkout's editable install either).
    (site_packages / "test-environment.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "BESTBITS_DATA_DIR", "BESTBITS_DB", "VIRTUAL_ENV")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
               XDG_DATA_HOME=str(tmp / "user-data"), PYTHONNOUSERSITE="1")
    work = tmp / "elsewhere"
    work.mkdir()
    return venv, site_packages, env, work, tmp


def test_the_installed_package_runs_not_the_checkout(installed):
    venv, site_packages, env, work, _ = installed
    printed = run(venv / "bin" / "python", "-c",
                  "import bestbits, dashboards, scrapers; from bestbits import config; "
                  "print(bestbits.__file__); print(dashboards.__file__); print(scrapers.__file__);"
                  "print(config.QUERIES_DIR); print(config.IN_CHECKOUT)", cwd=work, env=env)
    lines = printed.splitlines()
    for path in lines[:4]:
        assert Path(path).is_relative_to(site_packages), printed
    assert lines[4] == "False"


def test_build_query_and_publish_work_from_any_folder_and_write_nothing_into_the_package(installed):
    venv, site_packages, env, work, tmp = installed
    before = snapshot(site_packages)
    user_data = tmp / "user-data" / "bestbits-archive"
    helped = run(venv / "bin" / "bestbits", "--help", cwd=work, env=env)
    assert f"  {user_data}\n" in helped  # --help says where the data goes
    run(venv / "bin" / "bestbits", "build", cwd=work, env=env)
    assert (user_data / "bestbits.duckdb").is_file()
    events = run(venv / "bin" / "bestbits", "query", "events", "--format", "csv", cwd=work,
                 env=env)
    assert len(events.splitlines()) > 10 and "bb2013-bali" in events
    run(venv / "bin" / "bestbits", "publish", "--out", "edition", cwd=work, env=env)
    assert (work / "edition" / "index.html").is_file()
    assert (work / "edition" / "events" / "bb2013-bali.html").is_file()
    assert (work / "edition" / "data" / "datapackage.json").is_file()
    after = snapshot(site_packages)
    assert after == before, sorted(set(after.items()) ^ set(before.items()))[:10]
    assert not any(p.name.endswith(".duckdb") for p in site_packages.rglob("*.duckdb"))

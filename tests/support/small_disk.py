"""Small file systems for the tests of full, read-only and forbidden disks: a tmpfs of a given
size mounted on a test's folder (root only, as in CI; skipped with the reason elsewhere), and
commands run as root without root's power to write anywhere."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tmpfs(folder: Path, size_bytes: int, mode: str = "0755", owner: int = 0) -> Iterator[Path]:
    """FOLDER with a tmpfs of SIZE_BYTES mounted on it (its root folder of MODE, owned by the
    user id OWNER), unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root and mount(8) (CI runs as root)")
    size_k = max(4, size_bytes // 1024)
    options = f"size={size_k}k,mode={mode},uid={owner},gid={owner}"
    result = subprocess.run([mount, "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {result.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def size_of(path: Path) -> int:
    """Bytes a file or a folder takes on a tmpfs (each file rounded up to whole 4 KiB pages)."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(-(-p.stat().st_size // 4096) * 4096 for p in files) + 4096 * len(files)


def tree_digest(path: Path) -> dict[str, str]:
    """sha256 of every file under PATH (or of PATH itself), and its folders, by relative path:
    what a test compares to say an output is unchanged."""
    if path.is_file():
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}
    return {p.relative_to(path).as_posix(): "folder" if p.is_dir()
            else hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*"))}


def without_override(command: list[str]) -> list[str]:
    """COMMAND run by root without the capabilities that let root write any folder (util-linux
    setpriv drops them from the bounding set before the command starts): a folder owned by
    someone else then refuses it, as it refuses a user. Root, because the interpreter may sit
    where no other user can read it (/root/.pyenv)."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is needed to write as a user without permission")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]

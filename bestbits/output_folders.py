"""Folders a command writes whole (`bestbits export`'s tables, `bestbits publish`'s edition): written
beside the target and swapped in, recognised later by the marker they hold, and never put over
anything their command did not write.

A folder is ours when it holds MARKER, which names the command, the output's identifier and the
sha256 of every file the command wrote, and when it holds nothing else: a file added or changed
by someone, or a sub-folder they made, makes it theirs, and the command refuses to replace it.

Writing goes to a hidden folder beside the target, `.NAME.bestbits-partial-PID-TOKEN`, which
becomes the target by one rename (an atomic exchange with the previous output where the system
offers one; otherwise the previous output is first renamed aside to `.NAME.bestbits-old-PID-TOKEN`
and removed once the new one is in place). The names say whose they are: a later run removes the
leftovers of runs whose process is gone (killed, or a machine that stopped), puts back a previous
output that a killed run had set aside, and never touches a sibling of another name (a user's
`.NAME.old/`, say).
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import sys
from pathlib import Path

from bestbits import __version__, config

MARKER = ".bestbits-output.json"
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.bestbits-(?P<stage>partial|old)-(?P<pid>\d+)-[0-9a-f]{8}$")
# Inside the data folder, these hold what the collectors and the curator wrote.
_DATA_FOLDER_ITEMS = ("raw", "local", "reference")
_WHAT = {"export": "an export written by bestbits export",
         "publish": "an edition written by bestbits publish"}


class OutputRefused(Exception):
    """The output folder asked for holds what the command did not write; the message says what to
    do, and nothing was written."""


def reserved_reason(target: Path, data_dir: Path | None = None) -> str | None:
    """Why TARGET is part of the curated record or the data folder (None when it is not): the
    checkout's (or the installed package's) data/, the curated reference folder, the data folder
    itself and what its collectors and curator keep there."""
    where = _resolved(target)
    trees = [config.REPO_ROOT / "data", config.reference_dir()]
    data = _resolved(data_dir or config.data_dir())
    trees += [data / item for item in _DATA_FOLDER_ITEMS]
    for tree in trees:
        tree = _resolved(tree)
        if where == tree or tree in where.parents:
            return (f"{target} is {'' if where == tree else 'inside '}{tree}, which holds the "
                    "curated record or collected data")
    if where == data:
        return f"{target} is the data folder (database, downloads, curated files)"
    return None


def _resolved(path: Path) -> Path:
    return Path(os.path.abspath(Path(path).expanduser().resolve()))


def file_sha256(path: Path) -> str:
    """A file's sha256, read in blocks (the one definition: output folders, imported WARCs, the
    database under the default views)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entries(folder: Path) -> dict[str, os.stat_result]:
    """Every file, folder and link under FOLDER (links not followed), by relative path."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            found[path.relative_to(folder).as_posix()] = path.lstat()
    return found


def _read_marker(folder: Path) -> dict | None:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (isinstance(marker, dict) and isinstance(marker.get("command"), str)
          and isinstance(marker.get("files"), dict))
    return marker if ok else None


def _foreign_entries(folder: Path, marker: dict, entries: dict[str, os.stat_result]) -> list[str]:
    """What in FOLDER its marker does not account for: files it does not list or whose content
    changed, folders that hold none of its files, links."""
    files: dict = marker["files"]
    folders = {parent.as_posix() for name in files for parent in Path(name).parents} - {"."}
    foreign = []
    for name, entry in sorted(entries.items()):
        if name == MARKER:
            continue
        if stat.S_ISDIR(entry.st_mode):
            if name not in folders:
                foreign.append(name + "/")
        elif not stat.S_ISREG(entry.st_mode) or files.get(name) != file_sha256(folder / name):
            foreign.append(name)
    return foreign


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a killed child that its parent has not reaped yet is gone too
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


try:
    _LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
except OSError:
    _LIBC = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap the two paths in one step (Linux renameat2 RENAME_EXCHANGE); False when the system
    or the file system cannot."""
    rename = getattr(_LIBC, "renameat2", None)
    if rename is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if rename(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


class OutputFolder:
    """The folder one run of COMMAND writes: `check()` says whether it may, `start()` gives the
    hidden folder to write into, `finish()` puts it in place, `abandon()` removes it.

        folder = OutputFolder(out, "export")
        folder.check()              # OutputRefused: nothing written
        work = folder.start()
        try:
            ...write into work...
            folder.finish(identifier)
        except BaseException:
            folder.abandon()
            raise
    """

    def __init__(self, target: Path, command: str, data_dir: Path | None = None):
        self.target = Path(target)
        self.command = command
        self.data_dir = data_dir
        self.work: Path | None = None
        self._seen: dict[str, tuple[int, int]] | None = None

    # -- before writing --------------------------------------------------------------------

    def check(self) -> None:
        """Refuse (OutputRefused) a target the command may not write: part of the curated record
        or the data folder, a file, or a folder holding anything this command did not write."""
        reason = reserved_reason(self.target, self.data_dir)
        if reason:
            raise OutputRefused(f"{reason}: choose a folder outside it; nothing was written.")
        self._seen = self._snapshot()

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        target = self.target
        if not os.path.lexists(target):
            return {}
        if target.is_symlink() or not target.is_dir():
            raise OutputRefused(f"{target} exists and is not a folder: give a folder (new, empty, "
                                f"or {_WHAT[self.command]}); nothing was written.")
        entries = _entries(target)
        if not entries:
            return {}
        marker = _read_marker(target)
        if marker is None:
            raise OutputRefused(
                f"{target} is not {_WHAT[self.command]} (it has no {MARKER}) and is not empty: "
                "choose an empty or new folder; nothing was written.")
        if marker["command"] != self.command:
            raise OutputRefused(
                f"{target} is not {_WHAT[self.command]}: it holds the output of bestbits "
                f"{marker['command']}. Choose another folder; nothing was written.")
        foreign = _foreign_entries(target, marker, entries)
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3
                                              else "")
            raise OutputRefused(
                f"{target} is {_WHAT[self.command]}, but it also holds what bestbits did not "
                f"write there ({shown}): move that out, or choose another folder; nothing was "
                "written.")
        return {name: (entry.st_size, entry.st_mtime_ns) for name, entry in entries.items()}

    def start(self) -> Path:
        """Clear what killed runs left beside the target, and make the folder to write into."""
        if self._seen is None:
            self.check()
        parent = self.target.parent
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.target)
        work = parent / f".{self.target.name}.bestbits-partial-{os.getpid()}-{secrets.token_hex(4)}"
        work.mkdir()
        self.work = work
        return work

    # -- after writing ---------------------------------------------------------------------

    def finish(self, identifier: str | None = None) -> None:
        """Record what was written (MARKER) and put it in place of the target, whose previous
        content is removed only once the new one is there. IDENTIFIER names the output (an
        edition's); by default the first 12 hex digits of a sha256 over the files' hashes."""
        work = self._require_work()
        files = {name: file_sha256(work / name) for name, entry in sorted(_entries(work).items())
                 if stat.S_ISREG(entry.st_mode)}
        if identifier is None:
            listing = "".join(f"{name} {digest}\n" for name, digest in files.items())
            identifier = hashlib.sha256(listing.encode()).hexdigest()[:12]
        (work / MARKER).write_text(json.dumps({
            "command": self.command, "identifier": identifier,
            "written_by": f"bestbits-archive {__version__}", "files": files},
            indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        # Someone may have put something into the target while we wrote.
        if self._snapshot() != self._seen:
            raise OutputRefused(f"{self.target} changed while bestbits {self.command} was writing: "
                                "run it again; nothing was replaced.")
        self._put_in_place(work)
        self.work = None

    def _put_in_place(self, work: Path) -> None:
        target = self.target
        if not os.path.lexists(target):
            os.rename(work, target)
            return
        if _exchange(work, target):
            shutil.rmtree(work)  # now the previous output
            return
        aside = work.with_name(work.name.replace(".bestbits-partial-", ".bestbits-old-", 1))
        os.rename(target, aside)
        try:
            os.rename(work, target)
        except BaseException:
            os.rename(aside, target)
            raise
        shutil.rmtree(aside)

    def abandon(self) -> None:
        """Remove what this run wrote (the target is as it was)."""
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None

    def _require_work(self) -> Path:
        if self.work is None:
            raise RuntimeError("OutputFolder.finish() before start()")
        return self.work


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the partial folders of TARGET's runs whose process is gone, after putting back a
    previous output that such a run had renamed aside and not replaced. Returns what was removed."""
    parent = Path(target).parent
    if not parent.is_dir():
        return []
    leftovers: list[tuple[str, Path]] = []
    for entry in parent.iterdir():
        match = _LEFTOVER.match(entry.name)
        if (match and match["name"] == Path(target).name and entry.is_dir()
                and not entry.is_symlink() and _process_gone(int(match["pid"]))):
            leftovers.append((match["stage"], entry))
    removed = []
    for stage, entry in sorted(leftovers, key=lambda item: item[0] != "old"):
        if stage == "old" and not os.path.lexists(target):
            os.rename(entry, target)
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


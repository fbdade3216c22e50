"""Say in one line why the system refused a write (disk full, read-only, no permission), where, and
what to do: the commands print this instead of a traceback, which is for our own bugs."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

# errno -> (what happened, what to do)
_REFUSALS = {
    errno.ENOSPC: ("no space is left on the device",
                   "free some space, or write to another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, or write to another disk"),
    errno.EROFS: ("the file system is read-only", "write to a folder on a writable disk"),
    errno.EACCES: ("permission denied",
                   "choose a folder you may write to, or change its permissions"),
    errno.EPERM: ("operation not permitted",
                  "choose a folder you may write to, or change its permissions"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "give another path"),
    errno.EISDIR: ("it is a folder, not a file", "give the path of a file"),
    errno.ENAMETOOLONG: ("the name is too long", "give a shorter path"),
}
# DuckDB reports the system's refusals as text in its IOException.
_DUCKDB_TEXT = {"No space left on device": errno.ENOSPC, "Disk quota exceeded": errno.EDQUOT,
                "Read-only file system": errno.EROFS, "Permission denied": errno.EACCES,
                "Operation not permitted": errno.EPERM}
_QUOTED_PATH = re.compile(r'"(/[^"]+)"')


def refused_write(exc: BaseException) -> tuple[int, str | None] | None:
    """(errno, path) when EXC is the system refusing a write (an OSError, or DuckDB reporting
    one, also through the exception it was raised from); None otherwise."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _REFUSALS:
            return exc.errno, exc.filename if isinstance(exc.filename, str) else None
        text = str(exc)
        for words, code in _DUCKDB_TEXT.items():
            if words in text and type(exc).__module__.startswith(("duckdb", "_duckdb")):
                found = _QUOTED_PATH.search(text)
                return code, found.group(1) if found else None
        exc = exc.__cause__ or exc.__context__
    return None


def describe(exc: BaseException, command: str, kept: str, where: Path | None = None) -> str | None:
    """One line for a refused write ("bestbits COMMAND: PLACE: what happened; KEPT. What to do."),
    or None when EXC is not one. The place is WHERE, the folder the user named, when the error
    names no path or one of the command's own temporary files inside it."""
    refused = refused_write(exc)
    if refused is None:
        return None
    code, path = refused
    happened, advice = _REFUSALS[code]
    place = str(where) if where is not None else None
    if path and (where is None
                 or not Path(os.path.abspath(path)).is_relative_to(os.path.abspath(where))):
        place = path
    return (f"bestbits {command}: {place + ': ' if place else ''}{happened}; {kept}. "
            f"{advice[0].upper()}{advice[1:]}.")

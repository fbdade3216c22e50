"""What every text passes before the build stores it: no e-mail address (addresses.py) and no
path of the machine that built it.

The loader (bestbits/load/loader.py) sends every row it writes through a `Gate`; the list
reader, which writes in bulk, gates each message as it parses it; the after-build sweep
(sweep.py) uses the same gate on whatever got past.

Local paths: an imported file is named by its content hash and the name it was given
(addresses.import_label), never by the folder it came from; a `file://` address and the
absolute path of the data folder, of the curated record ($BESTBITS_REFERENCE_DIR) or of the
home folder in a message (an error's text, say) become 'import:<name>', 'DATA_DIR',
'REFERENCE_DIR' and '~'.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from bestbits import config
from bestbits.privacy.addresses import redact, redact_url, safe_file_name

_FILE_URI = re.compile(r"file://[^\s\"'<>]*", re.IGNORECASE)


def is_url_column(column: str) -> bool:
    """Columns that hold an address of a page: 'url', 'source_url', 'replay_url' ..."""
    return column == "url" or column.endswith("_url")


class Gate:
    """The privacy gate of one build, which knows the data folder it must not name."""

    def __init__(self, data_dir: Path | None = None):
        roots = []
        folders = [(config.reference_dir(), "REFERENCE_DIR")]
        if data_dir is not None:
            folders.append((Path(data_dir), "DATA_DIR"))
        for folder, name in folders:
            for path in (folder.absolute(), folder.resolve()):
                roots.append((str(path), name))
        home = str(Path.home())
        if len(home) > 1:
            roots.append((home, "~"))
        # Longest first, so that the data folder inside the home folder reads DATA_DIR; only a
        # path that starts a word ('/home/jo/...'), not '/root/' inside a web address.
        self._roots = [(re.compile(r"(?<![\w/.:-])" + re.escape(root) + r"(?![\w.-])"), name)
                       for root, name in sorted(set(roots), key=lambda pair: -len(pair[0]))]

    def local_paths_out(self, text: str) -> str:
        if "file:" in text.lower():
            text = _FILE_URI.sub(lambda m: "import:" + safe_file_name(unquote(m.group(0))), text)
        for root, name in self._roots:
            text = root.sub(name, text)
        return text

    def text(self, value):
        """A text as it may be stored; anything but a string passes unchanged."""
        if not isinstance(value, str) or not value:
            return value
        return redact(self.local_paths_out(value))

    def url(self, value):
        """An address of a page as it may be stored (see addresses.redact_url)."""
        if not isinstance(value, str) or not value:
            return value
        return redact_url(self.local_paths_out(value))

    def frame(self, frame):
        """A copy of a pandas frame whose text columns passed the gate (address columns as
        addresses of pages)."""
        from pandas.api.types import is_string_dtype

        out = frame.copy()
        for column in out.columns:
            # Text is 'object' in pandas 2 and 'str' in pandas 3.
            if out[column].dtype == object or is_string_dtype(out[column].dtype):
                out[column] = out[column].map(self.url if is_url_column(str(column))
                                              else self.text)
        return out


__all__ = ["Gate", "is_url_column"]

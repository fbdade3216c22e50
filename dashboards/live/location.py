"""The browser's address bar as a widget: the visitor's links, Back and Forward reach the kernel,
and the kernel's view changes reach the address bar, all without reloading the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anywidget
import traitlets

_ESM = (Path(__file__).parent / "location.js").read_text(encoding="utf-8")


class Location(anywidget.AnyWidget):
    """Sync of `location.search` (the query string) with the kernel (see location.js).

    `on_open(callback)`: callback(query_string) when the visitor follows a link to another view,
    or goes Back or Forward. `push(query_string)`: a new history entry for a deliberate change
    (a search submitted, a filter chosen), which Back undoes. `replace(query_string)`: show this
    address for the current view without a new history entry. `address`: the page's origin and
    path as the browser has it (e.g. http://127.0.0.1:8866/), for absolute permalinks; "" until
    it says.
    """

    _esm = _ESM
    address = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._seq = 0
        self._listeners: list[Callable[[str], None]] = []
        self.on_msg(self._received)

    def on_open(self, callback: Callable[[str], None]) -> None:
        self._listeners.append(callback)

    def push(self, query_string: str) -> None:
        self.send({"event": "push", "search": query_string, "seq": self._seq})

    def replace(self, query_string: str) -> None:
        self.send({"event": "replace", "search": query_string, "seq": self._seq})

    def _received(self, _widget, content: dict, _buffers) -> None:
        search, seq = content.get("search"), content.get("seq")
        if content.get("event") != "open" or not isinstance(search, str) or not isinstance(seq, int):
            return
        self._seq = seq
        for listener in self._listeners:
            listener(search)

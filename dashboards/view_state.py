"""The view state (page, filters, search, selection) as a URL query string, for permalinks."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from dashboards.pages import PAGE_IDS


class ViewState:
    """Holds what a visitor chose; every change rewrites the permalink.

    Values come from an untrusted URL: pages read them through `get`, which only ever returns
    strings, and check them against the choices they offer before use.
    """

    def __init__(self, query_string: str | None = None):
        pairs = parse_qsl((query_string or "").lstrip("?"), keep_blank_values=False)
        self.values: dict[str, str] = {k: v[:500] for k, v in pairs}
        if self.values.get("page") not in PAGE_IDS:
            self.values["page"] = "overview"
        self._listeners: list[Callable[[ViewState, bool], None]] = []
        self._followers: list[Callable[[set[str]], None]] = []

    @property
    def page(self) -> str:
        return self.values["page"]

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    def get_int(self, key: str, default: int, low: int, high: int) -> int:
        try:
            value = int(self.values.get(key, default))
        except ValueError:
            return default
        return min(max(value, low), high)

    def get_list(self, key: str, allowed: list[str], default: list[str]) -> list[str]:
        raw = self.values.get(key)
        if raw is None:
            return list(default)
        chosen = [v for v in raw.split(",") if v in allowed]
        return chosen or list(default)

    def set(self, **changes: object) -> None:
        """A change the address follows in place (a text's next page): Back skips it."""
        self._change(changes, push=False)

    def choose(self, **changes: object) -> None:
        """A deliberate change (a search submitted, a filter chosen, a hit opened): the address
        gets a new history entry, so that Back returns to the view before it."""
        self._change(changes, push=True)

    def _change(self, changes: dict[str, object], push: bool) -> None:
        for key, value in changes.items():
            if value is None or value == "" or value == []:
                self.values.pop(key, None)
            elif isinstance(value, list | tuple):
                self.values[key] = ",".join(str(v) for v in value)
            else:
                self.values[key] = str(value)
        for listener in self._listeners:
            listener(self, push)

    def on_change(self, listener: Callable[[ViewState, bool], None]) -> None:
        """LISTENER(state, push) after each change; PUSH says it was deliberate (see choose)."""
        self._listeners.append(listener)

    def follow(self, query_string: str) -> bool:
        """Take the values of another address of the same page (Back, Forward, a search hit
        opened) without a new page: the followers draw what changed. False when nobody
        follows, and the caller builds the page from the address instead."""
        if not self._followers:
            return False
        wanted = ViewState(query_string).values
        changed = {k for k in self.values.keys() | wanted.keys()
                   if self.values.get(k) != wanted.get(k)}
        self.values = wanted
        for follower in self._followers:
            follower(changed)
        return True

    def on_follow(self, follower: Callable[[set[str]], None]) -> None:
        """FOLLOWER(changed keys) when the state takes another address's values (follow)."""
        self._followers.append(follower)

    def query_string(self) -> str:
        ordered = {"page": self.page, **{k: v for k, v in sorted(self.values.items())
                                         if k != "page"}}
        return "?" + urlencode(ordered)

"""A page declared once: its controls, its sections and what a click on a chart does, and the
PageView (dashboards/page_view.py) it gives for a state, which both faces draw.

A section is a function of a Context: it reads the state through `ctx.value(key)` and the
database through `ctx.query(name, **params)` (named queries, bound parameters), and returns
blocks. The Context records which state keys each section read, so that when a control changes
only the sections that read it are built again (and only their widgets change in the live face).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dashboards.page_view import Block, Card, Control, Controls, PageView, plain_array

ALL = ""  # the value of a choice's "All" option: no filter


@dataclass(frozen=True)
class ControlSpec:
    """A filter: its state key (two for a range), label, type, options and default.

    Types: choice (a dropdown, with an "All" option unless `all_label` is None), multi (several
    of the options), range (two years), int (a bounded number), text, toggle (buttons).
    `options` is a list of (label, value) or a function of the Context giving one. A value
    from the address is used only if it is one of the options (or within the bounds).
    `resets`: the keys a change of this control clears (a selection it makes stale).
    """

    key: str
    label: str
    type: str
    options: list[tuple[str, str]] | Callable[[Context], list[tuple[str, str]]] = ()
    default: Any = None
    all_label: str | None = "All"
    low: int = 0
    high: int = 0
    keys: tuple[str, ...] = ()
    resets: tuple[str, ...] = ()
    edition: str = ""   # "each": the edition draws the sections it feeds once per option
    width: str = ""
    placeholder: str = ""
    tooltip: str = ""

    @property
    def state_keys(self) -> tuple[str, ...]:
        return self.keys or (self.key,)

    def parse(self, raw: Mapping[str, str | None], options: list[tuple[str, str]]) -> Any:
        """The value the state names, checked against the options and bounds (else the default)."""
        given = raw.get(self.key)
        values = [v for _label, v in options]
        if self.type in ("choice", "toggle"):
            return given if given in values and given != ALL else self.default
        if self.type == "multi":
            chosen = [v for v in (given or "").split(",") if v in values]
            return chosen or list(self.default if self.default is not None else values)
        if self.type == "range":
            low, high = (self._bounded(raw.get(k), d) for k, d in zip(self.keys, self.default,
                                                                      strict=True))
            return (min(low, high), max(low, high))
        if self.type == "int":
            return self._bounded(given, self.default)
        if self.type == "text":
            return (given or "").strip() or None
        raise ValueError(f"unknown control type {self.type!r}")

    def _bounded(self, raw: str | None, default: int) -> int:
        try:
            value = int(raw) if raw is not None else default
        except ValueError:
            return default
        return min(max(value, self.low), self.high)

    def to_state(self, widget_value: Any, options: list[tuple[str, str]]) -> dict[str, str | None]:
        """A widget's value as state: None for the default, which keeps addresses short."""
        if self.type == "range":
            return {k: (None if int(v) == d else str(int(v)))
                    for k, v, d in zip(self.keys, widget_value, self.default, strict=True)}
        if self.type == "multi":
            chosen = [v for _label, v in options if v in set(widget_value)]
            everything = list(self.default if self.default is not None else
                              [v for _label, v in options])
            return {self.key: None if not chosen or chosen == everything else ",".join(chosen)}
        if self.type == "text":
            return {self.key: str(widget_value or "").strip() or None}
        if widget_value in (None, ALL) or widget_value == self.default:
            return {self.key: None}
        return {self.key: str(widget_value)}

    def widget_value(self, value: Any) -> Any:
        """A parsed value as the widget holds it."""
        if self.type in ("choice", "toggle"):
            return ALL if value is None else value
        if self.type == "multi":
            return list(value)
        if self.type == "range":
            return [int(value[0]), int(value[1])]
        if self.type == "text":
            return value or ""
        return value

    def offered(self, options: list[tuple[str, str]]) -> list[list[str]]:
        if self.type == "choice" and self.all_label is not None:
            return [[self.all_label, ALL], *[[label, v] for label, v in options]]
        return [[label, v] for label, v in options]


@dataclass
class Point:
    """A clicked mark: its trace (as the figure's JSON holds it), index, x and y."""

    trace: dict[str, Any]
    index: int
    x: Any = None
    y: Any = None

    @property
    def custom(self) -> Any:
        values = plain_array(self.trace.get("customdata"))
        if isinstance(values, list) and 0 <= self.index < len(values):
            return values[self.index]
        return None

    @property
    def meta(self) -> Any:
        return self.trace.get("meta")


# What a click changes in the state (the keys of the selection it makes); empty: nothing.
ClickHandler = Callable[[Point], dict[str, str | None]]


@dataclass(frozen=True)
class Section:
    id: str
    build: Callable[[Context], Block | list[Block] | None]


@dataclass(frozen=True)
class ItemPages:
    """Per-item pages (an event, a statement): the edition writes `folder/<id>.html` for each of
    `ids`; the live face shows the same card in the page when one is chosen."""

    folder: str
    ids: Callable[[Context], list[str]]
    card: Callable[[Context, str], Card | None]
    back_label: str


@dataclass
class SectionResult:
    blocks: list[Block]
    reads: frozenset[str]


class Context:
    """What a section sees: the state (recorded as read), the page's controls, the database."""

    def __init__(self, page: Page, data, state: Mapping[str, str], local: dict[str, int]):
        self.page, self.data, self.state, self.local = page, data, state, local
        self.reads: set[str] = set()
        self._options: dict[str, list[tuple[str, str]]] = {}

    # --- the state ------------------------------------------------------------------------

    def raw(self, key: str) -> str | None:
        self.reads.add(key)
        return self.state.get(key)

    def value(self, key: str) -> Any:
        """A control's value for this state, checked (see ControlSpec.parse)."""
        spec = self.page.control(key)
        self.reads.update(spec.state_keys)
        return spec.parse({k: self.state.get(k) for k in spec.state_keys}, self.options(key))

    def options(self, key: str) -> list[tuple[str, str]]:
        spec = self.page.control(key)
        if key not in self._options:
            options = spec.options(self) if callable(spec.options) else spec.options
            self._options[key] = [(str(label), str(value)) for label, value in options]
        return self._options[key]

    def controls(self, *keys: str, block_id: str | None = None) -> Controls:
        """A row of the page's controls, as drawn for this state."""
        drawn = []
        for key in keys:
            spec = self.page.control(key)
            options = self.options(key)
            drawn.append(Control(
                key=key, label=spec.label, type=spec.type,
                value=spec.widget_value(self.value(key)), options=spec.offered(options),
                low=spec.low, high=spec.high, placeholder=spec.placeholder, tooltip=spec.tooltip,
                width=spec.width))
        return Controls(block_id or "controls-" + "-".join(keys), drawn)

    def shown(self, name: str, step: int) -> int:
        """Rows of a paged table shown now (the live face's "Show more" adds STEP; not in the
        address, and back to STEP when anything else the section reads changes). The table
        says so with `more_key=name, page_rows=step`."""
        self.reads.add(f"local:{name}")
        return self.local.get(name, step)

    # --- the database ---------------------------------------------------------------------

    def query(self, name: str, **params: Any):
        """A named query's rows (bestbits.query.Rows, shared between sections); None means unset."""
        bound = tuple(sorted((k, v) for k, v in params.items() if v is not None))
        return self.data.cached(name, bound)


class Page:
    """A page: controls by key, sections in the order shown, click handlers, item pages."""

    def __init__(self, page_id: str, controls: list[ControlSpec], sections: list[Section],
                 clicks: dict[str, ClickHandler] | None = None, items: ItemPages | None = None):
        from dashboards.pages import TITLES

        self.id, self.title = page_id, TITLES[page_id]
        self.controls = {c.key: c for c in controls}
        self.sections = sections
        self.clicks = clicks or {}
        self.items = items

    def control(self, key: str) -> ControlSpec:
        return self.controls[key]

    def context(self, data, state: Mapping[str, str], local: dict[str, int] | None = None
                ) -> Context:
        return Context(self, data, state, {} if local is None else local)

    def build(self, data, state: Mapping[str, str], local: dict[str, int] | None = None,
              previous: dict[str, SectionResult] | None = None,
              changed: set[str] | None = None) -> tuple[PageView, dict[str, SectionResult]]:
        """The PageView for STATE. Given the PREVIOUS sections and the keys that CHANGED since,
        only the sections that read one of them are built again."""
        local = {} if local is None else local
        results: dict[str, SectionResult] = {}
        for section in self.sections:
            before = (previous or {}).get(section.id)
            if before is not None and changed is not None and not (before.reads & changed):
                results[section.id] = before
                continue
            if before is not None and changed and any(not k.startswith("local:")
                                                      for k in before.reads & changed):
                for key in before.reads:  # a filter changed: paged tables start again
                    if key.startswith("local:"):
                        local.pop(key[len("local:"):], None)
            results[section.id] = self.build_section(section, data, state, local)
        blocks = [b for r in results.values() for b in r.blocks]
        return PageView(self.id, self.title, blocks), results

    def build_section(self, section: Section, data, state: Mapping[str, str],
                      local: dict[str, int] | None = None) -> SectionResult:
        ctx = self.context(data, state, local)
        built = section.build(ctx)
        blocks = [] if built is None else built if isinstance(built, list) else [built]
        return SectionResult(blocks, frozenset(ctx.reads))

    def view(self, data, state: Mapping[str, str] | None = None) -> PageView:
        return self.build(data, state or {})[0]

    def click(self, name: str, point: Point) -> dict[str, str | None]:
        handler = self.clicks.get(name)
        return handler(point) if handler else {}


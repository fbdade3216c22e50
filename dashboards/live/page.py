"""The live face of a page: its PageView drawn as widgets, one widget per block, in a visit's
kernel. A control changed, a chart clicked, "Show more" or a text's next page changes the state;
the sections that read what changed are built again, and only the widgets of blocks that changed
are updated (a chart gets its new figure, a table its new HTML; nothing else is sent)."""

from __future__ import annotations

import html
import sys
import traceback
from typing import Any

import ipywidgets as widgets

from dashboards.live import controls
from dashboards.live.html import block_html
from dashboards.live.plotly_chart import PlotlyChart
from dashboards.page import Page, Point, SectionResult
from dashboards.page_view import (
    LIVE,
    Block,
    Card,
    Chart,
    Control,
    Controls,
    Evidence,
    PageView,
    Table,
    Text,
)
from dashboards.view_state import ViewState


class LivePage:
    """One page of one visit."""

    def __init__(self, definition: Page, data, state: ViewState,
                 computed: dict[str, SectionResult] | None = None) -> None:
        """COMPUTED: the page's sections for STATE, computed once for every visitor
        (dashboards/default_views.py); without them, the sections are built here."""
        self.definition, self.data, self.state = definition, data, state
        self.local: dict[str, int] = {}
        self.widgets: dict[str, widgets.Widget] = {}
        self.drawn: dict[str, Block] = {}
        self.root = widgets.VBox()
        if computed is not None:
            self.sections = computed
            self.view = PageView(definition.id, definition.title,
                                 [b for r in computed.values() for b in r.blocks])
        else:
            self.view, self.sections = definition.build(data, state.values, self.local)
        self._draw()
        state.on_follow(self._rebuild)

    def widget(self) -> widgets.Widget:
        return self.root

    def widget_of(self, block_id: str) -> widgets.Widget:
        """The widget that shows a block (for tests and benchmarks)."""
        return self.widgets[block_id]

    # --- what the visitor does ----------------------------------------------------------------

    def change(self, changes: dict[str, str | None], deliberate: bool = True) -> None:
        """Set these state values and draw what they change. The address follows: a deliberate
        change (a control, a click) adds a history entry, any other replaces the address."""
        if deliberate:
            self.state.choose(**changes)
        else:
            self.state.set(**changes)
        self._rebuild(set(changes))

    def _rebuild(self, changed: set[str]) -> None:
        try:
            self.view, self.sections = self.definition.build(
                self.data, self.state.values, self.local, self.sections, changed)
            self._draw()
        except Exception:  # our bug: the traceback to the server log; the page stays usable
            traceback.print_exc(file=sys.__stderr__)

    def _control_changed(self, control: Control, value: Any) -> None:
        spec = self.definition.control(control.key)
        changes = spec.to_state(value, [(label, v) for label, v in control.options])
        changes.update({key: None for key in spec.resets})
        self.change(changes)

    def _clicked(self, handler: str, point: Point) -> None:
        changes = self.definition.click(handler, point)
        if changes:
            self.change(changes)

    def _more(self, table: Table) -> None:
        self.local[table.more_key] = len(table.rows) + table.page_rows
        self._rebuild({f"local:{table.more_key}"})

    # --- drawing ------------------------------------------------------------------------------

    def _draw(self) -> None:
        used: dict[str, widgets.Widget] = {}
        children = self._children(self.view.blocks, used)
        if list(self.root.children) != children:
            self.root.children = children
        kept = {id(w) for w in used.values()}
        for block_id, widget in self.widgets.items():
            if used.get(block_id) is not widget:
                close_widget_tree(widget, kept)
        self.widgets = used
        self.drawn = {b.id: b for b in self.view.walk()}

    def _children(self, blocks: list[Block], used: dict[str, widgets.Widget]) -> list:
        return [self._widget_for(b, used) for b in blocks if LIVE in b.faces]

    def _widget_for(self, block: Block, used: dict[str, widgets.Widget]) -> widgets.Widget:
        existing = self.widgets.get(block.id)
        if existing is not None and getattr(existing, "shape", None) == _shape(block):
            if isinstance(block, Card):
                self._update_card(existing, block, used)
            elif isinstance(block, Controls):
                self._update_controls(existing, block, used)
            elif self.drawn.get(block.id) != block:
                self._update(existing, block)
        else:
            existing = self._make(block, used)
            existing.shape = _shape(block)
        used[block.id] = existing
        return existing

    def _make(self, block: Block, used: dict[str, widgets.Widget]) -> widgets.Widget:
        if isinstance(block, Chart):
            height = (block.figure.get("layout") or {}).get("height")
            layout = widgets.Layout(min_height=f"{height}px") if height else widgets.Layout()
            return PlotlyChart(block.figure, self._click_handler(block),
                               description=block.text_alternative(), layout=layout)
        if isinstance(block, Controls):
            box = widgets.HBox()
            self._update_controls(box, block, used)
            return box
        if isinstance(block, Card):
            box = widgets.VBox(layout=widgets.Layout(
                border_left=f"4px solid {block.colour}" if block.colour else None,
                padding="4px 12px" if block.colour else None, margin="8px 0"))
            box.add_class(block.css_class)
            self._update_card(box, block, used)
            return box
        if isinstance(block, Text):
            box = widgets.VBox([widgets.HTML(), widgets.HBox()])
            self._update(box, block)
            return box
        if _paged(block):
            button = widgets.Button(description="Show more", layout=widgets.Layout(width="140px"))
            box = widgets.VBox([widgets.HTML(), button])
            button.on_click(lambda _b: self._more(_paged(self.drawn[block.id])))
            self._update(box, block)
            return box
        return widgets.HTML(block_html(block))

    def _update(self, widget: widgets.Widget, block: Block) -> None:
        if isinstance(block, Chart):
            widget.show(block.figure, self._click_handler(block),
                        description=block.text_alternative())
        elif isinstance(block, Text):
            self._update_text(widget, block)
        elif _paged(block):
            table = _paged(block)
            html_widget, button = widget.children
            html_widget.value = block_html(block)
            button.tooltip = f"the next {table.page_rows} rows"
            button.layout.display = "inline-flex" if table.more else "none"
        else:
            widget.value = block_html(block)

    def _click_handler(self, chart: Chart):
        if not chart.click:
            return None
        return lambda point, name=chart.click: self._clicked(name, point)

    def _update_card(self, box: widgets.VBox, card: Card, used: dict[str, widgets.Widget]) -> None:
        title_id = f"{card.id}:title"
        title = self.widgets.get(title_id) or widgets.HTML()
        if card.title:
            title.value = f"<h3 style='margin:4px 0'>{html.escape(card.title)}</h3>"
            used[title_id] = title
        children = ([title] if card.title else []) + self._children(card.blocks, used)
        if list(box.children) != children:
            box.children = children

    def _update_controls(self, box: widgets.HBox, block: Controls,
                         used: dict[str, widgets.Widget]) -> None:
        children = []
        for control in block.controls:
            key = f"control:{control.key}"
            widget = self.widgets.get(key)
            if widget is None or widget.control.type != control.type:
                widget = controls.make(control, self._control_changed)
            else:
                controls.update(widget, control)
            used[key] = widget
            children.append(widget)
        if list(box.children) != children:
            box.children = children

    def _update_text(self, box: widgets.VBox, text: Text) -> None:
        page = min(max(text.page, 0), len(text.pages) - 1)
        style = " style='white-space:pre-wrap'" if text.pre else ""
        body, pager = box.children
        body.value = f"<div class='{text.css_class}'{style}>{text.pages[page]}</div>"
        if len(text.pages) < 2:
            pager.children = []
            return
        earlier = widgets.Button(description="Previous page", disabled=page == 0)
        later = widgets.Button(description="Next page", disabled=page == len(text.pages) - 1)
        earlier.on_click(lambda _b: self.change({text.page_key: str(page) if page > 1 else None},
                                                deliberate=False))
        later.on_click(lambda _b: self.change({text.page_key: str(page + 2)}, deliberate=False))
        for old in pager.children:
            close_widget_tree(old)
        pager.children = [earlier, widgets.HTML(
            f"<span class='bb-text-page' style='padding:0 8px'>Page {page + 1} of "
            f"{len(text.pages)}</span>"), later]


def _shape(block: Block) -> tuple:
    """What decides a block's kind of widget: a block of another shape gets a new widget."""
    return (block.kind, bool(_paged(block)))


def _paged(block: Block) -> Table | None:
    """The table of a block that shows a part of its rows with "Show more", if any."""
    table = block.table if isinstance(block, Evidence) else block
    if isinstance(table, Table) and table.total is not None and table.more_key:
        return table
    return None


def close_widget_tree(widget: widgets.Widget, kept: set[int] | None = None) -> None:
    """Close WIDGET and every widget it holds (children, layouts, styles), so that a replaced page
    leaves the kernel's widget registry and its memory can be freed; widgets whose id() is in
    KEPT (still shown elsewhere) are left open."""
    seen: set[int] = set(kept or ())
    stack = [widget]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for name in current.keys:
            value = getattr(current, name, None)
            values = value if isinstance(value, tuple | list) else (value,)
            stack.extend(v for v in values if isinstance(v, widgets.Widget))
        current.close()


"""Geometry of the server-rendered SVG bar charts (``templates/surveys/_results.html``).

One row per answer: the label on a line, the bar under it and the value after the bar. The
viewBox is phone-sized so that text stays readable when the chart is scaled to its column.
Right-to-left pages get mirrored bars; text is anchored at its start, which on such a page
is its right-hand end (the SVG inherits the page's direction).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_percent

from kopingreport.i18n import _
from kopingreport.surveys.suppression import Cell, CellStatus

WIDTH = 360
ROW = 44
BAR = 14
VALUE_SPACE = 96
LABEL_MAX = 46


@dataclass(frozen=True)
class Bar:
    """One row of a chart, in SVG user units."""

    label: str
    full_label: str
    value: str
    css: str
    label_y: int
    bar_y: int
    bar_x: float
    bar_width: float
    value_x: float


def value_text(cell: Cell) -> str:
    """The number shown for a cell: share and count, or why it is not shown."""
    if cell.status == CellStatus.SMALL:
        return _("fewer than 5")
    if cell.status == CellStatus.HIDDEN:
        return _("hidden")
    share = format_percent(cell.share or 0)
    return f"{share} ({cell.count})"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[:LABEL_MAX - 1].rstrip() + "…"


def bars(cells: list[Cell], rtl: bool = False) -> list[Bar]:
    """The rows of a chart of ``cells``."""
    scale = WIDTH - VALUE_SPACE
    result = []
    for index, cell in enumerate(cells):
        shown = cell.status == CellStatus.SHOWN
        width = round(scale * (cell.share or 0), 1) if shown else scale * 0.06
        width = max(width, 1.5) if shown and cell.count else width
        top = index * ROW
        bar_x = WIDTH - width if rtl else 0
        value_x = WIDTH - width - 6 if rtl else width + 6
        result.append(Bar(_short(cell.label), cell.label, value_text(cell),
                          "sv-bar" if shown else "sv-bar sv-bar-hidden", top + 15, top + 22,
                          bar_x, width, value_x))
    return result


def height(cells: list[Cell]) -> int:
    """The chart's height in user units."""
    return max(1, len(cells)) * ROW


def description(cells: list[Cell]) -> str:
    """The chart as a sentence, for ``<desc>``."""
    return "; ".join(f"{cell.label}: {value_text(cell)}" for cell in cells)

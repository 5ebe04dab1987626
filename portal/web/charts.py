"""Horizontal bar charts drawn on the server: the geometry of an inline SVG.

Each row has its label on one line and one bar per series below it, the
value written at the end of the bar; the widest bar is as long as the chart
allows. The page draws it with SVG presentation attributes only (no style
attribute: the Content-Security-Policy allows no inline style) and gives the
same numbers in a table, for screen readers and for anyone who prefers
numbers. Plain functions of numbers; nothing here calls the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320
LABEL_HEIGHT = 16  # label text line above the bars
BAR_HEIGHT = 14
BAR_GAP = 2
ROW_GAP = 8
VALUE_ROOM = 48  # room at the end of the longest bar for its value
LABEL_CHARACTERS = 46
FILLS = ("#1d70b8", "#d4351c", "#505a5f")


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    fill: str
    value: float | int | None
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Row:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: list[Row]
    fills: tuple[str, ...] = FILLS


def short(label: str) -> str:
    """A label that fits the chart (the table beside it has it whole)."""
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def bar_length(value: float | int | None, largest: float, room: int) -> int:
    """Bars in proportion to the largest value; any value above 0 shows."""
    if not value or largest <= 0:
        return 0
    return max(1, round(room * value / largest))


def chart(rows: list[tuple[str, tuple]], series: int = 1) -> Chart:
    """The geometry of ``rows``: (label, one value per series) each; a value
    may be None (nothing to show)."""
    room = WIDTH - VALUE_ROOM
    values = [value or 0 for _label, row_values in rows for value in row_values[:series]]
    largest = max(values, default=0)
    row_height = LABEL_HEIGHT + series * (BAR_HEIGHT + BAR_GAP) + ROW_GAP
    drawn = []
    for index, (label, row_values) in enumerate(rows):
        top = index * row_height
        bars = []
        for number, value in enumerate(row_values[:series]):
            y = top + LABEL_HEIGHT + number * (BAR_HEIGHT + BAR_GAP)
            length = bar_length(value, largest, room)
            bars.append(
                Bar(
                    x=0,
                    y=y,
                    width=length,
                    height=BAR_HEIGHT,
                    fill=FILLS[number % len(FILLS)],
                    value=value,
                    text_x=length + 4,
                    text_y=y + BAR_HEIGHT - 3,
                )
            )
        drawn.append(Row(label=short(label), label_y=top + LABEL_HEIGHT - 4, bars=bars))
    return Chart(width=WIDTH, height=max(1, len(rows) * row_height - ROW_GAP), rows=drawn)

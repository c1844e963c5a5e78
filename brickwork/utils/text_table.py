"""A box-drawn text table laid out as Keras 3's ``model.summary()`` lays out its table.

Keras draws the table with the ``rich`` library; this module writes the same layout without it: column
widths from ``positions`` times ``line_length``, each column one padding space either side, the columns
shrunk evenly when the table (borders and padding included) would pass ``line_length``; cells wrap at
spaces, a word too long for its column ends in ``…``; header cells sit at the bottom of their row.

Example:
    >>> widths = fit_widths(column_widths([0.45, 0.80, 1.0], 76), 76)
    >>> widths
    [33, 24, 15]
    >>> print("\\n".join(render(["Layer (type)", "Output Shape", "Param #"],
    ...                         [["dense (Dense)", "(None, 4)", "12"]], widths, ["left", "left", "right"])))
    ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
    ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
    ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
    │ dense (Dense)                   │ (None, 4)              │            12 │
    └─────────────────────────────────┴────────────────────────┴───────────────┘
"""

from __future__ import annotations

import re

_PADDING = 2  # one space either side of a cell


def column_widths(positions, line_length: int) -> list[int]:
    """Content widths from ``positions`` (each column's right edge, as a fraction of ``line_length``).

    Raises:
        ValueError: when a column would be narrower than 4 characters.
    """
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise ValueError(
                f"Insufficient console width to print summary: line_length={line_length} with positions="
                f"{list(positions)} leaves a column {width} characters wide (at least 4 are needed)."
            )
        widths.append(width)
        current += width
    return widths


def fit_widths(widths, line_length: int) -> list[int]:
    """Cell widths (padding included) of a table no wider than ``line_length``: each cell is first cut to the
    table's inner width (absolute ``positions`` give cells far wider), then the excess is taken from the columns
    in turn, an equal share of what remains each (rounded half to even)."""
    available = line_length - (len(widths) + 1)  # the vertical borders
    cells = [min(w + _PADDING, available) for w in widths]
    excess = sum(cells) - available
    if excess <= 0:
        return cells
    shares = len(cells)
    fitted = []
    for cell in cells:
        taken = min(cell, round(excess / shares))
        fitted.append(cell - taken)
        excess -= taken
        shares -= 1
    return [min(cell, available) for cell in fitted]


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken at spaces; a longer word ends in ``…``."""
    if width <= 0:
        return [""]
    lines, line = [], ""
    for word in re.findall(r"\s*\S+\s*", text) or [""]:
        if line and len(line) + len(word.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += word
    lines.append(line.rstrip())
    return [entry if len(entry) <= width else entry[: width - 1] + "…" for entry in lines]


def _justify(text: str, width: int, align: str) -> str:
    if align == "right":
        return text.rjust(width)
    if align == "center":
        return text.center(width)
    return text.ljust(width)


def _row_lines(cells, widths, align, edge, bottom=False) -> list[str]:
    wrapped = [wrap(str(cell), width - _PADDING) for cell, width in zip(cells, widths)]
    height = max(len(lines) for lines in wrapped)
    wrapped = [([""] * (height - len(lines)) + lines) if bottom else (lines + [""] * (height - len(lines)))
               for lines in wrapped]
    return [edge + edge.join(" " + _justify(lines[i], width - _PADDING, a) + " "
                             for lines, width, a in zip(wrapped, widths, align)) + edge
            for i in range(height)]


def _rule(widths, left, mid, right, fill) -> str:
    return left + mid.join(fill * width for width in widths) + right


def render(headers, rows, widths, align) -> list[str]:
    """The table's lines: a heavy header box, the rows separated by light rules.

    Args:
        headers: one title per column.
        rows: lists of cells (converted with ``str``).
        widths: cell widths, padding included (``fit_widths``).
        align: ``"left"``, ``"right"`` or ``"center"`` per column.
    """
    lines = [_rule(widths, "┏", "┳", "┓", "━"), *_row_lines(headers, widths, align, "┃", bottom=True),
             _rule(widths, "┡", "╇", "┩", "━")]
    for index, row in enumerate(rows):
        if index:
            lines.append(_rule(widths, "├", "┼", "┤", "─"))
        lines.extend(_row_lines(row, widths, align, "│"))
    lines.append(_rule(widths, "└", "┴", "┘", "─"))
    return lines

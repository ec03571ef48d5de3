"""CSV cells that a spreadsheet shows as text and never runs (CSV/formula injection).

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (``=cmd|' /C calc'!A0``, ``=HYPERLINK(...)``); a leading tab, carriage
return or line feed hides such a start, and East Asian input methods type the full-width
forms. Such a cell gets a leading apostrophe, which spreadsheets show as text. Numbers are
left alone (a negative number is not a formula).
"""

from __future__ import annotations

from typing import Any

#: A text cell starting with one of these is a formula (or hides one) to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """``value`` itself, or a text with a leading apostrophe if it would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_text(value: object) -> str:
    """``value`` as CSV text (None: empty), made safe like ``safe_cell``."""
    return safe_cell("" if value is None else str(value))

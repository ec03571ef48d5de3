"""Hypothesis strategies for what a hostile or broken client sends, and the settings that
keep the suite fast (``HARDENING_MAX_EXAMPLES`` to run more examples locally)."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: Few examples per property (each one is a real request); no deadline (a database round
#: trip varies); a function-scoped ``app`` is fine: every example checks the database
#: before and after itself. Fixed seed in CI so that a run is repeatable.
HOSTILE = settings(
    max_examples=int(os.environ.get("HARDENING_MAX_EXAMPLES", "25")), deadline=None,
    database=None, derandomize=IN_CI, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large])

NASTY = [
    "", " ", "\x00", "a\x00b", "\u202eevil\u202c", "\u200f\u200e", "\ufeff", "\ud7ff",
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "{{7*7}}", "${7*7}",
    "'; DROP TABLE reports; --", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
    "\t=1", "\r=1", "../../etc/passwd", "%00", "%s%s%s%n", "null", "[]", "{}",
    "𝕶ö𝖕𝖎𝖓𝖌", "ﷺ" * 50, "e\u0301" * 300, "\U0001F4A9" * 100, "A" * 5000, "x" * 70_000,
]
NUMBERS = ["NaN", "nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e-400", "0x1F",
           "59,5", "59.5.5", "١٥", "15٫9", "--1", "+", ".", "1_000", "9" * 400,
           "-90.000001", "180.0000001", "-0", "0", "91", "-181", " 59.5 ", "59.5\x00"]
DATES = ["2026-02-30T10:00", "2026-13-01T10:00", "0000-01-01T00:00", "9999-12-31T23:59",
         "1900-01-01", "2026-05-01T25:61", "yesterday", "2026-05-01T21:30+99:00",
         "2026-05-01T21:30Z", "2026-05-01 21:30", "１２３", "2026-05-01T21:30:00.000000001"]

texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=300),
                  st.text(st.characters(codec="utf-8"), min_size=1, max_size=50))
numbers = st.one_of(st.sampled_from(NUMBERS), st.floats().map(repr),
                    st.integers(min_value=-10**30, max_value=10**30).map(str), texts)
dates = st.one_of(st.sampled_from(DATES), st.datetimes().map(lambda d: d.isoformat()), texts)


def hostile_form(valid: dict[str, Any], hostile: dict[str, st.SearchStrategy[Any]]
                 ) -> st.SearchStrategy[dict[str, Any]]:
    """A valid form with one to three fields made hostile: a hostile value, the field sent
    several times, or left out; sometimes with an unknown field besides."""
    names = sorted(hostile)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        data = dict(valid)
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3,
                                  unique=True)):
            how = draw(st.integers(0, 5))
            if how == 0:
                data.pop(name, None)
            elif how == 1:
                data[name] = draw(st.lists(hostile[name], min_size=2, max_size=3))
            else:
                data[name] = draw(hostile[name])
        if draw(st.integers(0, 9)) == 0:
            data[draw(texts.filter(lambda t: t not in data))] = draw(texts)
        return data

    return build()

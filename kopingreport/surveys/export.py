"""CSV and GeoJSON exports of survey results, with the same suppression as the pages.

The CSV uses semicolons and a byte-order mark, so Swedish Excel opens it as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from kopingreport.i18n import _
from kopingreport.surveys import grid
from kopingreport.surveys.results import QuestionResult
from kopingreport.surveys.suppression import CellStatus, is_small
from kopingreport.web.csvsafe import safe_cell


def _count(count: int, status: CellStatus = CellStatus.SHOWN) -> str:
    if status == CellStatus.SMALL or is_small(count):
        return _("fewer than 5")
    if status == CellStatus.HIDDEN:
        return _("hidden")
    return str(count)


def _rows(results: Iterable[QuestionResult]) -> Iterable[list[str]]:
    for result in results:
        yield [str(result.number), result.text, "", _("Answered"), _count(result.answered), ""]
        if is_small(result.answered):
            continue
        for breakdown in result.breakdowns:
            if breakdown.is_suppressed:
                yield [str(result.number), result.text, breakdown.title, _("Answered"),
                       _count(breakdown.base), ""]
                continue
            for cell in breakdown.cells:
                share = f"{cell.share * 100:.1f}" if cell.share is not None else ""
                yield [str(result.number), result.text, breakdown.title, cell.label,
                       _count(cell.count, cell.status), share]


def results_csv(results: Iterable[QuestionResult], filter_text: str) -> str:
    """The results as CSV: question, row, answer, responses and share in per cent."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Filter"), safe_cell(filter_text)])
    writer.writerow([_("Question number"), _("Question"), _("Row"), _("Answer"),
                     _("Responses"), _("Share (%)")])
    for row in _rows(results):
        writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def results_geojson(grids: dict[int, grid.Grid], numbers: dict[int, int]) -> dict[str, Any]:
    """The published grid cells of every map question, with its question number."""
    features: list[dict[str, Any]] = []
    for question_id, found in grids.items():
        features += grid.feature_collection(found, {"question": numbers[question_id]}
                                            )["features"]
    return {"type": "FeatureCollection", "features": features}

"""Small-cell suppression: no published breakdown shows a count of 1–4 responses.

When exactly one cell of a breakdown whose cells add up to its total is small, the next
smallest cell is hidden as well, or the small one could be worked out from the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

#: The smallest count a published cell may show.
MIN_CELL = 5


class CellStatus(StrEnum):
    """Whether a cell's number is shown."""

    SHOWN = "shown"
    #: 1–4 responses: shown as "fewer than 5".
    SMALL = "small"
    #: Hidden so that a small cell cannot be worked out from the total.
    HIDDEN = "hidden"


@dataclass(frozen=True)
class Cell:
    """One bar of a chart / row of a table."""

    label: str
    count: int
    status: CellStatus
    #: Share of the breakdown's base (0–1), None when suppressed.
    share: float | None

    @property
    def is_shown(self) -> bool:
        return self.status == CellStatus.SHOWN


def is_small(count: int) -> bool:
    """A count that must not be published."""
    return 0 < count < MIN_CELL


def statuses(counts: Sequence[int], exclusive: bool) -> list[CellStatus]:
    """The status of each count; ``exclusive`` when the counts add up to the total."""
    result = [CellStatus.SMALL if is_small(c) else CellStatus.SHOWN for c in counts]
    if exclusive and result.count(CellStatus.SMALL) == 1:
        others = [i for i, c in enumerate(counts) if result[i] == CellStatus.SHOWN and c > 0]
        if others:
            result[min(others, key=lambda i: counts[i])] = CellStatus.HIDDEN
    return result


def cells(labels: Sequence[str], counts: Sequence[int], base: int, exclusive: bool
          ) -> list[Cell]:
    """Suppressed cells with their shares of ``base``."""
    return [Cell(label, count, status,
                 count / base if status == CellStatus.SHOWN and base else None)
            for label, count, status in zip(labels, counts, statuses(counts, exclusive))]

"""The one error the lägesbild services raise for a refused change."""

from __future__ import annotations

from typing import Any


class SituationError(ValueError):
    """A refused change; ``message`` is translated, ``field`` names the form field."""

    def __init__(self, message: Any, field: str) -> None:
        super().__init__(str(message))
        self.message, self.field = message, field

"""Redact regions of a stored photo (faces, number plates, house numbers) before it is shared.

Pure functions: no Flask, no database. Regions are fractions of the stored photo as the
moderator sees it (already upright, origin top-left). Blurring is made irreversible by
pixelating first: averaging each block (20 px or more) throws the detail away, and the Gaussian
blur on top only hides the blocks, so there is nothing left to deconvolve. The result is
re-encoded through the photo pipeline's encoder, so it is exactly as metadata-free as any
uploaded photo.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from PIL import Image, ImageFilter

from kopingreport.reports.images import PhotoSettings, ProcessedPhoto, decode_stored, encode_photo

#: Longest region text accepted ("0.1234567890," four times, with spaces, fits easily).
_MAX_TEXT: Final = 100
#: A fraction written plainly: 0, 1, 0.25, .5, 1.0 (ASCII digits only, at most 10 decimals).
#: No signs, exponents, underscores, "nan" or "inf", which float() would all accept.
_FRACTION: Final = re.compile(r"(?:[01](?:\.[0-9]{0,10})?|\.[0-9]{1,10})", re.ASCII)
#: Smallest width or height: a millionth of the photo is less than a pixel of any we store,
#: and anything smaller would not survive being written as text with 10 decimals.
_MIN_SIZE: Final = 1e-6
#: Pixelation: blocks are at least this many pixels square (the region shrinks to 1/20) ...
_BLOCK: Final = 20
#: ... and never more than this many fit across the region's short side: a moderator draws the
#: box around the thing to hide, so large text or a large face gets large blocks too.
_MAX_CELLS: Final = 4
#: Gaussian radius after pixelation, as a fraction of the block size.
_BLUR_PER_BLOCK: Final = 0.6


@dataclass(frozen=True)
class Region:
    """A rectangle as fractions (0..1) of the photo, origin top-left.

    ``x`` and ``y`` lie inside the photo; ``w`` and ``h`` are positive and at most 1. A region
    reaching past the right or bottom edge is clamped to the photo when applied.
    """

    x: float
    y: float
    w: float
    h: float

    def __post_init__(self) -> None:
        values = (self.x, self.y, self.w, self.h)
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
            raise ValueError("region values must be finite numbers")
        if not (0 <= self.x < 1 and 0 <= self.y < 1):
            raise ValueError("region must start inside the photo")
        if not (_MIN_SIZE <= self.w <= 1 and _MIN_SIZE <= self.h <= 1):
            raise ValueError("region width and height must be above 0 and at most 1")

    @classmethod
    def parse(cls, text: str) -> Region:
        """The region written as ``"x,y,w,h"`` (fractions); ``ValueError`` on anything else."""
        if not isinstance(text, str) or len(text) > _MAX_TEXT:
            raise ValueError("region must be a short text")
        parts = [part.strip() for part in text.split(",")]
        if len(parts) != 4 or not all(_FRACTION.fullmatch(part) for part in parts):
            raise ValueError("region must be four fractions: x,y,w,h")
        x, y, w, h = (float(part) for part in parts)
        return cls(x, y, w, h)

    def __str__(self) -> str:
        """The text :meth:`parse` reads back (for forms and the audit log)."""
        return ",".join(f"{v:.10f}".rstrip("0").rstrip(".") or "0"
                        for v in (self.x, self.y, self.w, self.h))

    def box(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        """Pixel box (left, top, right, bottom) in an image of ``size``, clamped to it.

        Rounded outwards, so a redaction covers at least what the moderator marked, and
        never less than one pixel.
        """
        width, height = size
        left, top = min(math.floor(self.x * width), width - 1), min(
            math.floor(self.y * height), height - 1)
        right = min(width, max(left + 1, math.ceil((self.x + self.w) * width)))
        bottom = min(height, max(top + 1, math.ceil((self.y + self.h) * height)))
        return left, top, right, bottom


class RedactionMode(StrEnum):
    """How a region is hidden."""

    BLUR = "blur"
    BLACK = "black"


def parse_regions(values: Sequence[str], max_regions: int = 20) -> list[Region]:
    """Regions from form values (one ``"x,y,w,h"`` each); ``ValueError`` when there are none,
    more than ``max_regions``, or any is invalid."""
    if isinstance(values, (str, bytes)):
        raise ValueError("regions must be a list of texts")
    if not values:
        raise ValueError("mark at least one region")
    if len(values) > max_regions:
        raise ValueError(f"at most {max_regions} regions")
    return [Region.parse(value) for value in values]


def redact(jpeg: bytes, regions: Sequence[Region], mode: RedactionMode,
           settings: PhotoSettings = PhotoSettings()) -> ProcessedPhoto:
    """A redacted copy of a stored photo: same size, regions blurred or blacked out.

    Raises :class:`~kopingreport.reports.images.PhotoError` when ``jpeg`` cannot be decoded
    and ``ValueError`` when there are no regions or ``mode`` is unknown.
    """
    if not regions:
        raise ValueError("mark at least one region")
    mode = RedactionMode(mode)
    im = decode_stored(jpeg, settings)
    for region in regions:
        box = region.box(im.size)
        if mode is RedactionMode.BLACK:
            im.paste((0, 0, 0), box)
        else:
            im.paste(_obscured(im.crop(box)), box)
    return encode_photo(im, settings)


def _obscured(patch: Image.Image) -> Image.Image:
    """``patch`` pixelated (box filter down, nearest up), then blurred.

    Blocks are at least 20 px, and at most 4 fit across the short side; a patch smaller than
    a block becomes one flat colour.
    """
    width, height = patch.size
    block = max(_BLOCK, min(width, height) / _MAX_CELLS)
    small = (max(1, round(width / block)), max(1, round(height / block)))
    blocks = patch.resize(small, Image.Resampling.BOX).resize(patch.size,
                                                              Image.Resampling.NEAREST)
    return blocks.filter(ImageFilter.GaussianBlur(block * _BLUR_PER_BLOCK))

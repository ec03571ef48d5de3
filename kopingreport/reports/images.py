"""Uploaded photos: check, downscale and strip them before anything is stored.

The original upload is never kept. :func:`process_photo` decodes it once (JPEG in libjpeg
draft mode, so a 12 MP photo is decoded at half size), downscales it, turns it upright from
the EXIF orientation *after* downscaling, and re-encodes pixel data alone as JPEG: no EXIF,
GPS, XMP, IPTC, ICC profile, comment or embedded thumbnail survives.

The real type is detected from the bytes, never from a filename or Content-Type, against an
allow-list of decoders. The pixel limit is checked from the header before decoding.
"""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass, replace
from typing import IO, Final

import pillow_heif
from flask_babel import LazyString
from PIL import Image, ImageFile

from kopingreport.i18n import _l

pillow_heif.register_heif_opener()

#: Decoders we let near user bytes (Pillow format ids). A JPEG with extra images (many phone
#: cameras) opens through the JPEG entry as format "MPO" and decodes like any JPEG.
ALLOWED_FORMATS: Final = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")
_JPEG_FORMATS: Final = frozenset({"JPEG", "MPO"})
_READ_CHUNK: Final = 64 * 1024
_MB: Final = 1024 * 1024
_THUMB_QUALITY: Final = 75
#: Bicubic, not Lanczos: after a 1/2 draft decode the remaining step is only ~1.26x, where the
#: two look the same, and Lanczos costs ~25 ms more per 12 MP photo (see bench/photos.py).
_RESAMPLE: Final = Image.Resampling.BICUBIC
#: resize() first reduce()s (box filter) by an integer factor, leaving at least this factor
#: for the real filter. 3.0 is indistinguishable from plain resampling; for the thumbnail,
#: 1.0 (a 4x4 box average from 1600 px) is ~8 ms cheaper and looks the same at 400 px.
_REDUCING_GAP: Final = 3.0
_THUMB_REDUCING_GAP: Final = 1.0
#: When a stored photo is larger than the byte budget, re-encode with this much less quality,
#: but never below the floor.
_QUALITY_STEP: Final = 8
_QUALITY_FLOOR: Final = 55

#: Errors Pillow and pillow_heif raise on malformed or truncated input.
_DECODE_ERRORS: Final = (OSError, SyntaxError, ValueError, EOFError, IndexError, RuntimeError,
                         struct.error)

#: EXIF orientation → the transpose that makes the image upright (as ImageOps.exif_transpose).
_T = Image.Transpose
_ORIENTATION_FIX: Final = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM,
                           5: _T.TRANSPOSE, 6: _T.ROTATE_270, 7: _T.TRANSVERSE, 8: _T.ROTATE_90}

#: Magic bytes of raster formats we recognise but do not accept ("unsupported", not "not_image").
_OTHER_IMAGE_MAGIC: Final = (b"II*\x00", b"MM\x00*", b"BM", b"\x00\x00\x00\x0cjP  ",
                             b"\xff\x0a", b"8BPS", b"\x00\x00\x00\x0cJXL ")
_AVIF_BRANDS: Final = (b"avif", b"avis")


class PhotoError(ValueError):
    """A photo we refuse.

    ``code`` is a stable machine code, one of ``too_large``, ``empty``, ``not_image``,
    ``unsupported``, ``truncated``, ``too_many_pixels``; ``message`` is a lazily translated,
    user-facing string.
    """

    def __init__(self, code: str, message: LazyString | str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message

    @classmethod
    def of(cls, code: str, settings: PhotoSettings | None = None) -> PhotoError:
        """The error for ``code`` with its standard message."""
        return cls(code, _message(code, settings or PhotoSettings()))


def _message(code: str, settings: PhotoSettings) -> LazyString:
    """The user-facing (lazy) message for an error code."""
    if code == "too_large":
        return _l("This photo is too large. Each photo can be at most %(mb)s MB.",
                  mb=_in_units(settings.max_bytes, _MB))
    if code == "empty":
        return _l("The file is empty. Choose a photo to upload.")
    if code == "unsupported":
        return _l("This image format is not supported. Choose a JPEG, PNG, WebP or HEIC image.")
    if code == "truncated":
        return _l("This photo could not be read. It may be damaged or only partly uploaded. "
                  "Please try again.")
    if code == "too_many_pixels":
        return _l("This image has too many pixels. Choose a photo of at most %(mp)s megapixels.",
                  mp=_in_units(settings.max_pixels, 1_000_000))
    return _l("This file is not a photo. Choose a JPEG, PNG, WebP or HEIC image.")


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: metadata-free JPEG bytes and a thumbnail."""

    jpeg: bytes
    thumb: bytes
    width: int
    height: int
    sha256: str
    thumb_sha256: str


@dataclass(frozen=True)
class PhotoSettings:
    """Limits and output settings for :func:`process_photo`.

    ``max_output_bytes`` is a budget for the stored JPEG: above it the photo is re-encoded at
    lower quality (down to a floor), so an unusually detailed photo still stays small.
    """

    max_edge: int = 1600
    thumb_edge: int = 400
    quality: int = 80
    max_pixels: int = 50_000_000
    max_bytes: int = 15 * _MB
    use_draft: bool = True
    max_output_bytes: int = 400 * 1024


def _in_units(value: int, unit: int) -> str:
    """``value`` in ``unit`` with at most one decimal ("15", "1.5"), for messages."""
    return f"{value / unit:.1f}".removesuffix(".0")


def read_limited(stream: IO[bytes], max_bytes: int) -> bytes:
    """Read an upload stream, but never more than ``max_bytes`` + 1 bytes.

    Raises :class:`PhotoError` ``too_large`` when the stream holds more than ``max_bytes``
    and ``empty`` when it holds nothing.
    """
    limit = max_bytes + 1
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = stream.read(min(_READ_CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        raise PhotoError.of("too_large", PhotoSettings(max_bytes=max_bytes))
    if total == 0:
        raise PhotoError.of("empty")
    return b"".join(chunks)


def process_photo(data: bytes, settings: PhotoSettings = PhotoSettings()) -> ProcessedPhoto:
    """Turn uploaded bytes into a stored photo and thumbnail, or raise :class:`PhotoError`.

    The result is an upright RGB JPEG, at most ``settings.max_edge`` px on the long edge,
    with no metadata at all.
    """
    if not data:
        raise PhotoError.of("empty", settings)
    if len(data) > settings.max_bytes:
        raise PhotoError.of("too_large", settings)
    with _open(data, settings) as im:
        small = _decode_downscaled(im, settings)
        # Read after load(): some formats (PNG eXIf after IDAT) only know their EXIF then,
        # and asking earlier could trigger a load whose failure would be swallowed.
        orientation = _orientation(im)
    return encode_photo(_upright(small, orientation), settings)


def encode_photo(im: Image.Image, settings: PhotoSettings = PhotoSettings()) -> ProcessedPhoto:
    """Encode RGB pixels as a stored photo and thumbnail, at the size of ``im``.

    Only the pixels reach the encoder (no metadata at all); used by :func:`process_photo`
    and for edited copies of stored photos (moderation redaction).
    """
    clean = _without_metadata(im)
    jpeg = _encode_within_budget(clean, settings)
    thumb = _encode(_fit(clean, settings.thumb_edge), _THUMB_QUALITY)
    return ProcessedPhoto(jpeg=jpeg, thumb=thumb, width=clean.width, height=clean.height,
                          sha256=hashlib.sha256(jpeg).hexdigest(),
                          thumb_sha256=hashlib.sha256(thumb).hexdigest())


def decode_stored(data: bytes, settings: PhotoSettings = PhotoSettings()) -> Image.Image:
    """The RGB pixels of a stored photo at full size, or raise :class:`PhotoError`.

    Same allow-list, pixel limit and error codes as :func:`process_photo`, but nothing is
    downscaled or turned: a stored photo is already upright and carries no orientation.
    """
    if not data:
        raise PhotoError.of("empty", settings)
    if len(data) > settings.max_bytes:
        raise PhotoError.of("too_large", settings)
    with _open(data, settings) as im:
        return _decode_downscaled(im, replace(settings, max_edge=max(im.size), use_draft=False))


def _open(data: bytes, settings: PhotoSettings) -> ImageFile.ImageFile:
    """Open the header with the allow-listed decoders and check the pixel count."""
    # Pillow's own bomb check runs inside open(): above 2 x MAX_IMAGE_PIXELS it raises, above
    # MAX_IMAGE_PIXELS it only warns. We do not turn the warning into an error with
    # warnings.catch_warnings(): that swaps process-global state and races between threads.
    # It is not needed either: our own, lower limit below refuses those images anyway.
    try:
        im = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError.of("too_many_pixels", settings) from None
    except Image.UnidentifiedImageError:
        raise PhotoError.of(_unknown_kind(data), settings) from None
    except _DECODE_ERRORS as err:
        raise _decode_failure(err, settings) from None
    width, height = im.size
    if width <= 0 or height <= 0:
        im.close()
        raise PhotoError.of("truncated", settings)
    if width * height > settings.max_pixels:
        im.close()
        raise PhotoError.of("too_many_pixels", settings)
    return im


def _decode_failure(err: Exception, settings: PhotoSettings) -> PhotoError:
    """``truncated`` for a decoder error, except libheif's "Security limit exceeded"."""
    if isinstance(err, RuntimeError) and "security limit" in str(err).lower():
        return PhotoError.of("too_many_pixels", settings)
    return PhotoError.of("truncated", settings)


def _unknown_kind(data: bytes) -> str:
    """``unsupported`` for raster formats we recognise but refuse, else ``not_image``."""
    head = data[:32]
    if head.startswith(_OTHER_IMAGE_MAGIC):
        return "unsupported"
    if head[4:8] == b"ftyp" and head[8:12] in _AVIF_BRANDS:
        return "unsupported"
    return "not_image"


def _orientation(im: Image.Image) -> int:
    """The EXIF (or XMP) orientation of the original, 1 when absent or unreadable."""
    try:
        value = im.getexif().get(0x0112, 1)
    except _DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) and value in _ORIENTATION_FIX else 1


def _target_size(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """``size`` scaled so the long edge is at most ``edge``, keeping the aspect ratio."""
    width, height = size
    long_edge = max(width, height)
    if long_edge <= edge:
        return width, height
    scale = edge / long_edge
    return max(1, round(width * scale)), max(1, round(height * scale))


def _decode_downscaled(im: ImageFile.ImageFile, settings: PhotoSettings) -> Image.Image:
    """Decode the first frame (JPEG at the smallest DCT scale still large enough), convert it
    to RGB and downscale it to ``settings.max_edge``."""
    target = _target_size(im.size, settings.max_edge)
    if settings.use_draft and im.format in _JPEG_FORMATS and target != im.size:
        # draft() picks the largest 1/2, 1/4, 1/8 scale that still covers the requested size.
        im.draft("RGB", target)
    try:
        im.load()
    except Image.DecompressionBombError:
        raise PhotoError.of("too_many_pixels", settings) from None
    except _DECODE_ERRORS as err:
        raise _decode_failure(err, settings) from None
    rgb = _to_rgb(im)
    if rgb.size != target:
        return rgb.resize(target, _RESAMPLE, reducing_gap=_REDUCING_GAP)
    # Detach from the file object, which is closed when we return.
    return _without_metadata(rgb) if rgb is im else rgb


def _to_rgb(im: Image.Image) -> Image.Image:
    """Convert any mode to RGB, flattening transparency onto white."""
    if im.mode == "RGB":
        return im
    if im.mode.startswith("I"):
        # 16-bit greyscale: keep the top 8 bits rather than clipping everything to white.
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif im.mode == "F":
        im = im.convert("L")
    try:
        if im.mode in ("P", "PA") or "A" in im.getbands():
            rgba = im.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        return im.convert("RGB")
    except ValueError:
        raise PhotoError.of("unsupported") from None


def _upright(im: Image.Image, orientation: int) -> Image.Image:
    """Apply the original's EXIF orientation to the (already small) image."""
    method = _ORIENTATION_FIX.get(orientation)
    return im.transpose(method) if method is not None else im


def _without_metadata(im: Image.Image) -> Image.Image:
    """A fresh image holding only the pixels: nothing in ``.info`` can reach the encoder.

    The new image shares ``im``'s pixel buffer instead of copying it (a copy of a 1600 px
    photo costs ~15 ms); it also keeps the pixels alive after ``im``'s file is closed.
    """
    fresh = im._new(im.im)  # pixels only; Image._new copies .info, which is dropped here
    fresh.info = {}
    return fresh


def _fit(im: Image.Image, edge: int) -> Image.Image:
    """``im`` downscaled to ``edge`` on the long edge (unchanged when already smaller)."""
    target = _target_size(im.size, edge)
    if target == im.size:
        return im
    return _without_metadata(im.resize(target, _RESAMPLE, reducing_gap=_THUMB_REDUCING_GAP))


def _encode(im: Image.Image, quality: int) -> bytes:
    """Optimised baseline JPEG bytes; no exif/icc/comment/xmp is passed to the encoder.

    Not progressive: that saves ~3 % of the bytes but doubles the encoding time.
    """
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _encode_within_budget(im: Image.Image, settings: PhotoSettings) -> bytes:
    """Encode at ``settings.quality``; lower the quality while over the byte budget."""
    quality = settings.quality
    jpeg = _encode(im, quality)
    while len(jpeg) > settings.max_output_bytes and quality > _QUALITY_FLOOR:
        quality = max(_QUALITY_FLOOR, quality - _QUALITY_STEP)
        jpeg = _encode(im, quality)
    return jpeg

"""Photo redaction: region parsing, blur and black-out on real generated JPEGs, metadata.

Every image is generated here with Pillow; no binary fixtures.
"""

from __future__ import annotations

import io
import math
import random
import statistics

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageStat

from kopingreport.moderation.redaction import RedactionMode, Region, parse_regions, redact
from kopingreport.reports.images import PhotoError, PhotoSettings, process_photo
from tests.reports.test_images import (
    assert_clean, encode, gps_needles, photo_like, private_exif)

SIZE = (1200, 900)
#: Mean absolute difference (0..255) we accept outside a region after one more JPEG round.
JPEG_TOLERANCE = 2.0
#: Pixels around a region that may change: JPEG works on 8 x 8 blocks (16 x 16 for colour).
MARGIN = 16


# --- helpers --------------------------------------------------------------------------------

def stored(im: Image.Image) -> bytes:
    """``im`` as the photo store holds it: through the upload pipeline (from a JPEG with EXIF,
    GPS and a comment)."""
    return process_photo(encode(im, quality=92, exif=private_exif().tobytes(),
                                comment=b"SECRET-COMMENT")).jpeg


def decoded(jpeg: bytes, mode: str = "RGB") -> Image.Image:
    with Image.open(io.BytesIO(jpeg)) as im:
        return im.convert(mode)


def with_sign(text: str, box: tuple[int, int, int, int], font_size: int) -> Image.Image:
    """The photo-like picture with a white sign carrying ``text`` in black."""
    im = photo_like(SIZE)
    draw = ImageDraw.Draw(im)
    draw.rectangle(box, fill="white")
    draw.text((box[0] + 3, box[1] + 1), text, fill="black", font=ImageFont.load_default(font_size))
    return im


def region_of(box: tuple[int, int, int, int]) -> Region:
    """The region covering the (inclusive) pixel ``box`` of a SIZE image."""
    left, top, right, bottom = box
    return Region(left / SIZE[0], top / SIZE[1], (right - left + 1) / SIZE[0],
                  (bottom - top + 1) / SIZE[1])


def correlation(a: Image.Image, b: Image.Image) -> float:
    """Pearson correlation of two greyscale images of the same size."""
    xs, ys = a.get_flattened_data(), b.get_flattened_data()
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    var = sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)
    return cov / math.sqrt(var) if var else 0.0


def mean_difference(a: Image.Image, b: Image.Image, mask: Image.Image | None = None) -> float:
    return statistics.fmean(ImageStat.Stat(ImageChops.difference(a, b), mask).mean)


def detail(im: Image.Image) -> float:
    """Fine detail: mean difference between ``im`` and a lightly blurred copy."""
    return mean_difference(im, im.filter(ImageFilter.GaussianBlur(2)))


def outside_mask(box: tuple[int, int, int, int], margin: int = MARGIN) -> Image.Image:
    """255 everywhere except the box grown by ``margin``."""
    mask = Image.new("L", SIZE, 255)
    ImageDraw.Draw(mask).rectangle((box[0] - margin, box[1] - margin, box[2] + margin,
                                    box[3] + margin), fill=0)
    return mask


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def photo() -> bytes:
    """A stored photo-like JPEG (1200 x 900) with fine detail everywhere."""
    im = photo_like(SIZE)
    draw = ImageDraw.Draw(im)
    rnd = random.Random(7)
    for _ in range(6000):
        x, y, s = rnd.randrange(SIZE[0]), rnd.randrange(SIZE[1]), rnd.randrange(2, 12)
        draw.rectangle((x, y, x + s, y + s), fill=tuple(rnd.randrange(256) for _ in range(3)))
    return stored(im)


# --- regions --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("0,0,1,1", Region(0, 0, 1, 1)),
    ("0.25,0.5,0.1,0.2", Region(0.25, 0.5, 0.1, 0.2)),
    (" .5 , .5 ,.5, .5 ", Region(0.5, 0.5, 0.5, 0.5)),
    ("0.9,0.9,1.0,1", Region(0.9, 0.9, 1, 1)),  # reaches past the edge: clamped when applied
])
def test_region_parse(text, expected):
    assert Region.parse(text) == expected


@pytest.mark.parametrize("text", [
    "", "0,0,1", "0,0,1,1,1", "0,0,1,1,", ",0,0,1,1", "0;0;1;1", "0 0 1 1",
    "nan,0,1,1", "0,0,inf,1", "0,0,1,NaN", "-0.1,0,0.5,0.5", "-0,0,1,1", "+0.1,0,1,1",
    "0,0,1.5,1", "2,0,1,1", "1,0,0.5,0.5", "0,1,0.5,0.5", "0,0,0,0.5", "0,0,0.5,0.0",
    "1e-1,0,1,1", "0_5,0,1,1", "0x1,0,1,1", "٠.5,0,1,1", "０.5,0,1,1", "0.5,0,1,1\x00",
    "0." + "1" * 11 + ",0,1,1", "0," * 10_000 + "1", "0.1" * 100_000,
    "0,0,1,1'; DROP TABLE reports;--", "<script>,0,1,1",
])
def test_hostile_region_text_is_refused(text):
    with pytest.raises(ValueError):
        Region.parse(text)


@pytest.mark.parametrize("value", [None, b"0,0,1,1", 0.5, ["0,0,1,1"]])
def test_region_parse_refuses_other_types(value):
    with pytest.raises(ValueError):
        Region.parse(value)


@pytest.mark.parametrize("values", [(math.nan, 0, 1, 1), (0, 0, math.inf, 1), (0, 0, 0, 1),
                                    (0, 0, 1e-9, 1), (-0.5, 0, 1, 1), (0, 0, 1, 1.01),
                                    (1, 0, 1, 1), ("0", 0, 1, 1), (None, 0, 1, 1)])
def test_region_refuses_bad_values_when_built_directly(values):
    with pytest.raises(ValueError):
        Region(*values)


@pytest.mark.parametrize("region", [Region(0, 0, 1, 1), Region(0.123456, 0.5, 0.25, 0.000001),
                                    Region(0.1, 0.2, 0.3, 0.4), Region(0.9999999999, 0, 1, 1),
                                    Region(1 / 3, 2 / 7, 0.5, 1 / 9)])
def test_region_text_round_trips(region):
    again = Region.parse(str(region))
    for a, b in zip((region.x, region.y, region.w, region.h), (again.x, again.y, again.w,
                                                               again.h), strict=True):
        assert a == pytest.approx(b, abs=1e-10)


def test_region_box_is_clamped_rounded_outwards_and_never_empty():
    assert Region(0.9, 0.9, 1, 1).box((100, 50)) == (90, 45, 100, 50)
    assert Region(0.101, 0.101, 0.2, 0.2).box((100, 100)) == (10, 10, 31, 31)
    assert Region(0.5, 0.5, 0.000001, 0.000001).box((100, 100)) == (50, 50, 51, 51)
    assert Region(0.999, 0.999, 0.000001, 0.000001).box((10, 10)) == (9, 9, 10, 10)


def test_parse_regions():
    assert parse_regions(["0,0,0.5,0.5", "0.5,0.5,0.5,0.5"]) == [
        Region(0, 0, 0.5, 0.5), Region(0.5, 0.5, 0.5, 0.5)]
    assert len(parse_regions(["0,0,1,1"] * 20)) == 20


@pytest.mark.parametrize("values", [[], ["0,0,1,1"] * 21, "0,0,1,1", b"0,0,1,1",
                                    ["0,0,1,1", "nan,0,1,1"], ["0,0,1,1", ""]])
def test_parse_regions_refuses(values):
    with pytest.raises(ValueError):
        parse_regions(values)


def test_parse_regions_limit_is_configurable():
    with pytest.raises(ValueError):
        parse_regions(["0,0,1,1"] * 3, max_regions=2)


# --- black ----------------------------------------------------------------------------------

def test_black_fills_the_region_and_leaves_the_rest(photo):
    box = (300, 200, 599, 449)
    out = redact(photo, [region_of(box)], RedactionMode.BLACK)
    before, after = decoded(photo), decoded(out.jpeg)
    whole = after.crop((box[0], box[1], box[2] + 1, box[3] + 1))
    assert max(ImageStat.Stat(whole).mean) < 1
    # JPEG rings a little (mostly in the subsampled colour) within a few pixels of the edge.
    for inset, limit in ((2, 40), (16, 4)):
        inside = whole.crop((inset, inset, whole.width - inset, whole.height - inset))
        assert max(high for _, high in inside.getextrema()) <= limit, inset
    assert mean_difference(before, after, outside_mask(box)) < JPEG_TOLERANCE


def test_regions_past_the_edge_are_clamped_and_may_overlap(photo):
    regions = parse_regions(["0.75,0.75,1,1", "0.5,0.5,0.375,0.375", "0,0,0.01,0.01"])
    out = redact(photo, regions, RedactionMode.BLACK)
    after = decoded(out.jpeg, "L")
    assert (out.width, out.height) == SIZE
    for xy in [(1199, 899), (900, 675), (620, 470), (1050, 820), (5, 5)]:
        assert after.getpixel(xy) <= 8, xy
    assert after.getpixel((580, 300)) > 8  # outside every region


# --- blur -----------------------------------------------------------------------------------

def test_blur_collapses_the_variance_inside_and_leaves_the_rest(photo):
    box = (200, 150, 519, 389)
    out = redact(photo, [region_of(box)], RedactionMode.BLUR)
    before, after = decoded(photo), decoded(out.jpeg)
    spread_before = ImageStat.Stat(before.crop(box).convert("L")).stddev[0]
    spread_after = ImageStat.Stat(after.crop(box).convert("L")).stddev[0]
    assert spread_before > 25
    assert spread_after < spread_before / 4
    assert mean_difference(before, after, outside_mask(box)) < JPEG_TOLERANCE
    # The colours are blurred, not replaced: the region keeps roughly its average colour.
    assert mean_difference(Image.new("RGB", (1, 1), tuple(
        round(v) for v in ImageStat.Stat(before.crop(box)).mean)), Image.new(
        "RGB", (1, 1), tuple(round(v) for v in ImageStat.Stat(after.crop(box)).mean))) < 12


@pytest.mark.parametrize(("box", "font_size"), [
    ((500, 600, 560, 614), 11),    # a small number plate, far away
    ((500, 400, 621, 430), 24),    # a number plate
    ((100, 100, 700, 260), 120),   # a big house number or sign
], ids=["small", "plate", "large"])
def test_blurred_text_is_unreadable(box, font_size):
    plates = [stored(with_sign(text, box, font_size)) for text in ("ABC 123", "XYZ 789")]
    region = region_of(box)
    originals = [decoded(p, "L").crop(box) for p in plates]
    blurred = [decoded(redact(p, [region], RedactionMode.BLUR).jpeg, "L").crop(box)
               for p in plates]
    # The measures can tell readable text: a light blur keeps the letters.
    light = originals[0].filter(ImageFilter.GaussianBlur(1))
    assert correlation(originals[0], light) > 0.7
    assert mean_difference(light, originals[1]) > 0.5 * mean_difference(*originals)
    # The redaction does not: the letters are gone, and two different plates look the same.
    assert correlation(originals[0], blurred[0]) < 0.5
    assert correlation(originals[1], blurred[1]) < 0.5
    assert mean_difference(*blurred) < 0.25 * mean_difference(*originals)


def test_blur_of_a_tiny_region_becomes_one_colour(photo):
    box = (600, 450, 611, 459)
    out = redact(photo, [region_of(box)], RedactionMode.BLUR)
    inside = decoded(out.jpeg, "L").crop((box[0] + 2, box[1] + 2, box[2] - 1, box[3] - 1))
    low, high = inside.getextrema()
    assert high - low <= 16


# --- output ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", list(RedactionMode))
def test_output_is_a_clean_jpeg_of_the_same_size_with_a_thumbnail(photo, mode):
    out = redact(photo, [Region(0.1, 0.1, 0.3, 0.3)], mode)
    assert_clean(out.jpeg)
    assert_clean(out.thumb)
    assert out.jpeg != photo
    with Image.open(io.BytesIO(photo)) as src, Image.open(io.BytesIO(out.jpeg)) as im:
        assert im.size == src.size == (out.width, out.height) == SIZE
    with Image.open(io.BytesIO(out.thumb)) as thumb:
        assert max(thumb.size) <= 400
        assert thumb.size == (400, 300)


def test_metadata_in_the_input_never_reaches_the_output():
    exif = private_exif().tobytes()
    dirty = encode(photo_like((640, 480)), quality=90, exif=exif, comment=b"SECRET-COMMENT")
    out = redact(dirty, [Region(0, 0, 0.5, 0.5)], RedactionMode.BLUR)
    assert_clean(out.jpeg, gps_needles(exif))
    assert_clean(out.thumb, gps_needles(exif))
    assert (out.width, out.height) == (640, 480)  # orientation tag ignored: pixels as stored


def test_hashes_match_the_bytes_and_output_is_deterministic(photo):
    import hashlib

    regions = [Region(0.2, 0.2, 0.2, 0.2)]
    first, second = (redact(photo, regions, RedactionMode.BLUR) for _ in range(2))
    assert first == second
    assert first.sha256 == hashlib.sha256(first.jpeg).hexdigest()
    assert first.thumb_sha256 == hashlib.sha256(first.thumb).hexdigest()


def test_settings_are_used(photo):
    out = redact(photo, [Region(0, 0, 0.5, 0.5)], RedactionMode.BLACK,
                 PhotoSettings(thumb_edge=120))
    with Image.open(io.BytesIO(out.thumb)) as thumb:
        assert max(thumb.size) == 120
    with pytest.raises(PhotoError) as caught:
        redact(photo, [Region(0, 0, 1, 1)], RedactionMode.BLACK, PhotoSettings(max_pixels=1000))
    assert caught.value.code == "too_many_pixels"


@pytest.mark.parametrize(("data", "code"), [(b"", "empty"), (b"not a photo", "not_image"),
                                            (None, "truncated")])
def test_broken_input_is_refused(photo, data, code):
    data = photo[: len(photo) // 2] if data is None else data
    with pytest.raises(PhotoError) as caught:
        redact(data, [Region(0, 0, 1, 1)], RedactionMode.BLUR)
    assert caught.value.code == code


def test_no_regions_or_unknown_mode_is_refused(photo):
    with pytest.raises(ValueError):
        redact(photo, [], RedactionMode.BLUR)
    with pytest.raises(ValueError):
        redact(photo, [Region(0, 0, 1, 1)], "pixelate")  # type: ignore[arg-type]
    assert redact(photo, [Region(0, 0, 1, 1)], "black").width == SIZE[0]  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [(333, 517), (1, 1), (1600, 7)])
def test_any_size_keeps_its_size_and_whole_photo_blur_removes_detail(size):
    jpeg = stored(photo_like((max(size[0], 8), max(size[1], 8))).resize(size))
    out = redact(jpeg, [Region(0, 0, 1, 1)], RedactionMode.BLUR)
    assert (out.width, out.height) == size
    with Image.open(io.BytesIO(out.jpeg)) as im:
        assert im.size == size
    assert_clean(out.jpeg)
    if min(size) > 1:  # the fine detail is gone (the coarse layout of colours may stay)
        before, after = (detail(decoded(j, "L")) for j in (jpeg, out.jpeg))
        assert after < before / 4

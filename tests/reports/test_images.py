"""Photo processing: formats, orientation, size, metadata stripping and refusals.

Every image is generated here with Pillow; no binary fixtures.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import warnings
import zlib
from collections.abc import Iterator

import pytest
from PIL import (ExifTags, Image, ImageChops, ImageCms, ImageDraw, ImageFile, ImageStat,
                 JpegImagePlugin, features)
from PIL.TiffImagePlugin import IFDRational

from kopingreport.reports.images import (
    PhotoError, PhotoSettings, ProcessedPhoto, process_photo, read_limited)

RED = (220, 20, 20)
GREY = (128, 128, 128)
# 59°30'49.32"N 15°59'26.16"E (Köping), seconds as exact rationals in lowest terms.
LAT_SECONDS = (1233, 25)
LON_SECONDS = (654, 25)
SECRETS = (b"KopingCam", b"Model-X9", b"2031:01:02 03:04:05", b"SECRET-XMP",
           b"SECRET-IPTC-CAPTION", b"SECRET-COMMENT", b"SECRET-PNG-TEXT")
XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>SECRET-XMP</dc:title>'
       b"</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>")


# --- helpers --------------------------------------------------------------------------------

def encode(im: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    """``im`` saved in ``fmt``."""
    out = io.BytesIO()
    im.save(out, format=fmt, **params)
    return out.getvalue()


def private_exif(orientation: int = 1) -> Image.Exif:
    """EXIF with camera, time and GPS position, as a phone writes it."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KopingCam"
    exif[ExifTags.Base.Model] = "Model-X9"
    exif[ExifTags.Base.DateTime] = "2031:01:02 03:04:05"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (IFDRational(59, 1), IFDRational(30, 1),
                                     IFDRational(*LAT_SECONDS))
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (IFDRational(15, 1), IFDRational(59, 1),
                                      IFDRational(*LON_SECONDS))
    return exif


def gps_needles(exif_bytes: bytes) -> list[bytes]:
    """The GPS seconds as they are stored in ``exif_bytes`` (rationals, its byte order)."""
    order = ">" if exif_bytes[6:8] == b"MM" else "<"
    return [struct.pack(order + "LL", *LAT_SECONDS), struct.pack(order + "LL", *LON_SECONDS)]


def app_segment(marker: int, payload: bytes) -> bytes:
    """A raw JPEG marker segment."""
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def iptc_app13() -> bytes:
    """A Photoshop APP13 segment holding an IPTC caption."""
    caption = b"SECRET-IPTC-CAPTION"
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(caption)) + caption
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    return app_segment(0xED, b"Photoshop 3.0\x00" + resource + iptc)


def splice_after_soi(jpeg: bytes, *segments: bytes) -> bytes:
    """Insert raw segments right after the SOI marker."""
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def jpeg_markers(data: bytes) -> list[int]:
    """The marker codes of a JPEG, walking segment by segment (entropy data skipped)."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    markers, pos = [0xD8], 2
    while pos < len(data):
        assert data[pos] == 0xFF, f"expected a marker at {pos}"
        while data[pos] == 0xFF:  # fill bytes
            pos += 1
        marker = data[pos]
        pos += 1
        markers.append(marker)
        if marker == 0xD9:
            assert pos == len(data), "bytes after EOI"
            return markers
        length = struct.unpack(">H", data[pos:pos + 2])[0]
        if marker == 0xE0:
            assert data[pos + 2:pos + 7] == b"JFIF\x00", "APP0 that is not JFIF"
            assert data[pos + 14:pos + 16] == b"\x00\x00", "JFIF thumbnail"
        pos += length
        if marker == 0xDA:  # scan data: runs to the next marker that is not stuffing or RST
            while not (data[pos] == 0xFF and data[pos + 1] not in (0x00, *range(0xD0, 0xD8))):
                pos += 1
    raise AssertionError("no EOI")


ALLOWED_MARKERS = {0xD8, 0xD9, 0xDB, 0xC0, 0xC1, 0xC2, 0xC4, 0xDA, 0xDD, 0xE0}


def assert_clean(jpeg: bytes, needles: list[bytes] = ()) -> None:
    """The output has only image-data segments and none of the private bytes."""
    assert set(jpeg_markers(jpeg)) <= ALLOWED_MARKERS
    for needle in (*SECRETS, *needles, b"Exif", b"http://ns.adobe.com/xap", b"ICC_PROFILE",
                   b"Photoshop", b"8BIM", b"acsp", b"MPF"):
        assert needle not in jpeg, needle
    with Image.open(io.BytesIO(jpeg)) as out:
        assert out.format == "JPEG"
        assert not out.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(out.info)


def corner_image(size: tuple[int, int]) -> Image.Image:
    """Grey, with a red block in the top-left corner."""
    im = Image.new("RGB", size, GREY)
    ImageDraw.Draw(im).rectangle((0, 0, size[0] // 4, size[1] // 4), fill=RED)
    return im


def is_red(pixel: tuple[int, ...]) -> bool:
    r, g, b = pixel[:3]
    return r > 170 and g < 80 and b < 80


def red_corner(jpeg: bytes) -> str:
    """Which corner of the decoded output is red."""
    with Image.open(io.BytesIO(jpeg)) as im:
        w, h = im.size
        inset = 8
        corners = {"top-left": (inset, inset), "top-right": (w - inset, inset),
                   "bottom-left": (inset, h - inset), "bottom-right": (w - inset, h - inset)}
        found = [name for name, xy in corners.items() if is_red(im.getpixel(xy))]
    assert len(found) == 1, found
    return found[0]


def photo_like(size: tuple[int, int] = (4032, 3024), seed: int = 1) -> Image.Image:
    """A cheap photo-ish picture: gradient sky, shapes, blurred texture and grain."""
    rnd = random.Random(seed)
    small = (size[0] // 4, size[1] // 4)
    base = Image.merge("RGB", [Image.linear_gradient("L").resize(small).point(f)
                               for f in (lambda v: 60 + v // 2, lambda v: 110 + v // 4,
                                         lambda v: 200 - v // 2)])
    draw = ImageDraw.Draw(base)
    for _ in range(200):
        x, y, s = rnd.randrange(small[0]), rnd.randrange(small[1]), rnd.randrange(4, 150)
        draw.ellipse((x, y, x + s, y + s), fill=tuple(rnd.randrange(256) for _ in range(3)))
    grain = Image.effect_noise(small, 24).resize(size, Image.Resampling.BILINEAR)
    return Image.blend(base.resize(size, Image.Resampling.BICUBIC),
                       Image.merge("RGB", (grain, grain, grain)), 0.15)


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload)))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose SOF header is patched to declare ``width`` x ``height``."""
    data = bytearray(encode(Image.new("RGB", (16, 16), GREY)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def refusal(data: bytes, settings: PhotoSettings = PhotoSettings()) -> PhotoError:
    with pytest.raises(PhotoError) as caught:
        process_photo(data, settings)
    message = str(caught.value.message)
    assert message and message.isascii() and message[0].isupper(), message
    return caught.value


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_jpeg() -> bytes:
    """A 12 MP (4032 x 3024) photo-like JPEG at q92, made once per module."""
    return encode(photo_like(), quality=92)


@pytest.fixture(scope="module")
def private_jpeg() -> tuple[bytes, list[bytes]]:
    """A JPEG carrying EXIF+GPS, XMP, IPTC, a comment and an ICC profile; and GPS needles."""
    exif = private_exif(orientation=6).tobytes()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    jpeg = encode(corner_image((1200, 900)), quality=90, exif=exif, xmp=XMP,
                  icc_profile=icc, comment=b"SECRET-COMMENT")
    return splice_after_soi(jpeg, iptc_app13()), gps_needles(exif)


@pytest.fixture(autouse=True)
def no_global_side_effects() -> Iterator[None]:
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES, list(warnings.filters))
    yield
    assert (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES,
            list(warnings.filters)) == before
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


# --- metadata -------------------------------------------------------------------------------

def test_private_input_really_has_the_metadata(private_jpeg):
    data, needles = private_jpeg
    for needle in (*needles, b"Exif", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"8BIM",
                   b"SECRET-COMMENT", b"SECRET-IPTC-CAPTION", b"KopingCam"):
        assert needle in data, needle
    with Image.open(io.BytesIO(data)) as im:
        assert im.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_all_metadata_is_removed(private_jpeg):
    data, needles = private_jpeg
    photo = process_photo(data)
    assert_clean(photo.jpeg, needles)
    assert_clean(photo.thumb, needles)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_metadata_removed_from_png_and_webp(fmt):
    exif = private_exif().tobytes()
    extra: dict[str, object] = {"exif": exif, "xmp": XMP}
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo
        info = PngInfo()
        info.add_text("Comment", "SECRET-PNG-TEXT")
        extra["pnginfo"] = info
    photo = process_photo(encode(corner_image((300, 200)), fmt, **extra))
    assert_clean(photo.jpeg, gps_needles(exif))


def test_image_appended_payload_is_not_carried_over():
    polyglot = encode(corner_image((200, 100))) + b"<script>alert(1)</script>PK\x03\x04"
    photo = process_photo(polyglot)
    assert b"<script" not in photo.jpeg and b"PK\x03\x04" not in photo.jpeg
    assert_clean(photo.jpeg)


def test_multi_picture_jpeg_keeps_only_the_first_image():
    first, second = corner_image((320, 240)), Image.new("RGB", (320, 240), (0, 0, 255))
    mpo = encode(first, "MPO", save_all=True, append_images=[second])
    photo = process_photo(mpo)
    assert_clean(photo.jpeg)
    assert red_corner(photo.jpeg) == "top-left"


# --- orientation ----------------------------------------------------------------------------

@pytest.mark.parametrize(("orientation", "corner", "swapped"), [
    (1, "top-left", False), (3, "bottom-right", False),
    (6, "top-right", True), (8, "bottom-left", True)])
@pytest.mark.parametrize("size", [(400, 300), (3200, 2400)], ids=["small", "draft"])
def test_orientation_is_applied(orientation, corner, swapped, size):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    photo = process_photo(encode(corner_image(size), exif=exif.tobytes()))
    w, h = min(size[0], 1600), min(size[1], 1200)
    assert (photo.width, photo.height) == ((h, w) if swapped else (w, h))
    assert red_corner(photo.jpeg) == corner
    assert_clean(photo.jpeg)


def test_private_jpeg_orientation_6(private_jpeg):
    photo = process_photo(private_jpeg[0])
    assert (photo.width, photo.height) == (900, 1200)
    assert red_corner(photo.jpeg) == "top-right"


def test_xmp_only_orientation_is_applied():
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/"'
           b' tiff:Orientation="3"/></rdf:RDF></x:xmpmeta>')
    photo = process_photo(encode(corner_image((300, 200)), xmp=xmp))
    assert red_corner(photo.jpeg) == "bottom-right"
    assert_clean(photo.jpeg)


# --- formats --------------------------------------------------------------------------------

def test_png_alpha_is_flattened_on_white():
    im = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    ImageDraw.Draw(im).rectangle((0, 0, 74, 49), fill=(*RED, 255))
    photo = process_photo(encode(im, "PNG"))
    with Image.open(io.BytesIO(photo.jpeg)) as out:
        assert out.mode == "RGB"
        assert all(c > 240 for c in out.getpixel((250, 150)))
    assert red_corner(photo.jpeg) == "top-left"


def test_webp_is_converted():
    photo = process_photo(encode(corner_image((300, 200)), "WEBP", quality=90))
    assert (photo.width, photo.height) == (300, 200)
    assert red_corner(photo.jpeg) == "top-left"


def test_animated_gif_keeps_the_first_frame():
    frames = [corner_image((120, 80)), Image.new("RGB", (120, 80), (0, 0, 255))]
    gif = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    photo = process_photo(gif)
    assert red_corner(photo.jpeg) == "top-left"
    assert_clean(photo.jpeg)


@pytest.mark.parametrize("mode", ["L", "LA", "P", "CMYK", "I;16", "1"])
def test_other_modes_become_rgb(mode):
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    photo = process_photo(encode(corner_image((64, 48)).convert(mode), fmt))
    with Image.open(io.BytesIO(photo.jpeg)) as out:
        assert out.mode == "RGB" and out.size == (64, 48)


def test_heic_is_converted():
    import pillow_heif
    if not pillow_heif.libheif_info().get("encoders"):
        pytest.skip("this libheif build cannot encode HEIF")
    exif = private_exif(orientation=6).tobytes()
    heic = encode(corner_image((320, 240)), "HEIF", quality=90, exif=exif)
    assert heic[4:12] == b"ftypheic"
    photo = process_photo(heic)
    # libheif applies the rotation itself; it must not be applied twice.
    assert (photo.width, photo.height) == (240, 320)
    assert red_corner(photo.jpeg) == "top-right"
    assert_clean(photo.jpeg, gps_needles(exif))


def test_heic_with_absurd_declared_size_is_refused():
    import pillow_heif
    if not pillow_heif.libheif_info().get("encoders"):
        pytest.skip("this libheif build cannot encode HEIF")
    heic = bytearray(encode(Image.new("RGB", (64, 48), RED), "HEIF"))
    ispe = heic.index(b"ispe")
    heic[ispe + 8:ispe + 16] = struct.pack(">II", 0x96000000, 64)
    assert refusal(bytes(heic)).code == "too_many_pixels"


# --- size -----------------------------------------------------------------------------------

def test_12_megapixel_photo_is_downscaled(big_jpeg):
    photo = process_photo(big_jpeg)
    assert isinstance(photo, ProcessedPhoto)
    assert (photo.width, photo.height) == (1600, 1200)
    with Image.open(io.BytesIO(photo.jpeg)) as out:
        assert out.size == (1600, 1200) and out.format == "JPEG"
    with Image.open(io.BytesIO(photo.thumb)) as thumb:
        assert max(thumb.size) <= 400 and thumb.size == (400, 300)
    assert photo.sha256 == hashlib.sha256(photo.jpeg).hexdigest()
    assert photo.thumb_sha256 == hashlib.sha256(photo.thumb).hexdigest()
    assert len(photo.jpeg) <= 400 * 1024
    assert len(photo.thumb) < 60 * 1024
    assert_clean(photo.jpeg)


def test_draft_is_used_for_big_jpegs_and_looks_the_same(big_jpeg, monkeypatch):
    calls: list[tuple] = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        calls.append((self.size, size))
        return real_draft(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    drafted = process_photo(big_jpeg)
    assert calls == [((4032, 3024), (1600, 1200))]
    calls.clear()
    plain = process_photo(big_jpeg, PhotoSettings(use_draft=False))
    assert calls == []
    with Image.open(io.BytesIO(drafted.jpeg)) as a, Image.open(io.BytesIO(plain.jpeg)) as b:
        diff = ImageStat.Stat(ImageChops.difference(a.resize((160, 120)), b.resize((160, 120))))
    assert max(diff.mean) < 4, diff.mean


def test_small_photo_is_not_upscaled():
    photo = process_photo(encode(corner_image((200, 120))))
    assert (photo.width, photo.height) == (200, 120)


def test_output_is_deterministic(private_jpeg):
    assert process_photo(private_jpeg[0]).sha256 == process_photo(private_jpeg[0]).sha256


# --- refusals -------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "code"), [
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
     b"<script>alert(1)</script></svg>", "not_image"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "not_image"),
    (b"<!doctype html><html><body>hello</body></html>", "not_image"),
    (random.Random(7).randbytes(4096), "not_image"),
    (b"GIF89a/*" + b"\x00" * 16 + b"*/=alert(1);", "not_image"),
    (b"", "empty"),
], ids=["svg", "pdf", "html", "random", "gif-js-polyglot", "empty"])
def test_non_images_are_refused(data, code):
    assert refusal(data).code == code


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "AVIF"])
def test_other_raster_formats_are_unsupported(fmt):
    if fmt == "AVIF" and not features.check("avif"):
        pytest.skip("this Pillow build cannot write AVIF")
    assert refusal(encode(corner_image((32, 32)), fmt)).code == "unsupported"


def test_truncated_jpeg_is_refused(big_jpeg):
    assert refusal(big_jpeg[: len(big_jpeg) // 2]).code == "truncated"


def test_truncated_png_is_refused():
    png = encode(photo_like((256, 192)), "PNG")
    assert refusal(png[: len(png) // 2]).code == "truncated"


@pytest.mark.parametrize("size", [(8000, 8000), (10000, 10000), (20000, 20000)],
                         ids=["64MP-own-limit", "100MP-pillow-warning", "400MP-pillow-error"])
def test_png_pixel_bombs_are_refused_before_decoding(size):
    bomb = png_claiming(*size)
    assert len(bomb) < 200
    if Image.MAX_IMAGE_PIXELS < size[0] * size[1] <= 2 * Image.MAX_IMAGE_PIXELS:
        with pytest.warns(Image.DecompressionBombWarning):  # Pillow warns; we still refuse
            error = refusal(bomb)
    else:
        error = refusal(bomb)
    assert error.code == "too_many_pixels"
    assert "50" in str(error.message)


def test_jpeg_pixel_bomb_is_refused():
    assert refusal(jpeg_claiming(9000, 9000)).code == "too_many_pixels"


def test_pixel_limit_is_configurable():
    data = encode(corner_image((300, 200)))
    assert refusal(data, PhotoSettings(max_pixels=50_000)).code == "too_many_pixels"
    assert process_photo(data, PhotoSettings(max_pixels=60_000)).width == 300


def test_too_many_bytes_is_refused_by_process_photo():
    data = encode(corner_image((300, 200)))
    error = refusal(data, PhotoSettings(max_bytes=len(data) - 1))
    assert error.code == "too_large"


# --- read_limited ---------------------------------------------------------------------------

class Trickle(io.RawIOBase):
    """A stream returning a few bytes per read, optionally without end."""

    def __init__(self, data: bytes = b"", endless: bool = False) -> None:
        self.data, self.endless, self.served = data, endless, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.endless:
            chunk = b"x" * min(size, 7)
        else:
            chunk = self.data[self.served:self.served + min(size, 7)]
        self.served += len(chunk)
        return chunk


def test_read_limited_reads_everything_up_to_the_limit():
    assert read_limited(io.BytesIO(b"a" * 100), 100) == b"a" * 100
    alphabet = b"abcdefghijklmnopqrstuvwxyz"
    assert read_limited(Trickle(alphabet), 26) == alphabet


def test_read_limited_refuses_too_large_without_reading_it_all():
    stream = Trickle(endless=True)
    with pytest.raises(PhotoError) as caught:
        read_limited(stream, 1000)
    assert caught.value.code == "too_large"
    assert stream.served == 1001
    assert "MB" in str(caught.value.message)


def test_read_limited_refuses_empty():
    with pytest.raises(PhotoError) as caught:
        read_limited(io.BytesIO(b""), 1000)
    assert caught.value.code == "empty"
    assert str(caught.value.message)


def test_photo_error_is_a_value_error_with_a_code():
    error = refusal(b"not an image at all")
    assert isinstance(error, ValueError)
    assert error.code == "not_image"
    assert "JPEG" in str(error.message)

"""Benchmark the photo pipeline (kopingreport.reports.images) on 12 MP JPEGs.

Run from the repository root:

    .venv/bin/python bench/photos.py [--count 8] [--repeat 3] [--seed 1]

It generates ``--count`` photo-like 4032 x 3024 JPEGs at quality 92, processes each one
``--repeat`` times with JPEG draft decoding and with ``use_draft=False`` (interleaved, after a
warm-up, pinned to one core when the OS allows), and checks the results against the targets:

* at least 2x faster than the same pipeline without draft,
* at most 180 ms per photo (median),
* at most 400 KB (409,600 bytes) per stored photo (median).

This is a benchmark, not a test: timings depend on the machine and on its other load.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageChops, ImageDraw, ImageFilter  # noqa: E402

from kopingreport.reports import images  # noqa: E402
from kopingreport.reports.images import PhotoSettings, process_photo  # noqa: E402

SIZE = (4032, 3024)
INPUT_QUALITY = 92
TARGET_SPEEDUP = 2.0
TARGET_MS = 180.0
TARGET_BYTES = 400 * 1024
SOURCE_NOTE = (
    "Inputs are synthetic but photo-like: a sky-to-ground gradient, 300 blurred shapes, "
    "two-scale luminance texture and fine sensor grain (sigma 6). Pure white noise would be "
    "unrealistically incompressible; this lands at ~5.3 MB per 12 MP q92 JPEG, close to a "
    "real phone photo (5.38 MB measured), so it is a fair-to-pessimistic stand-in.")


def photo_like(seed: int) -> Image.Image:
    """A 12 MP picture with roughly the detail and noise of a phone photo."""
    rnd = random.Random(seed)
    width, height = SIZE
    small = (width // 4, height // 4)
    ramp = Image.linear_gradient("L").resize(small)
    base = Image.merge("RGB", (ramp.point(lambda v: 60 + v // 2),
                               ramp.point(lambda v: 110 + v // 3),
                               ramp.point(lambda v: 200 - v // 2)))
    draw = ImageDraw.Draw(base)
    for _ in range(300):
        x, y, s = rnd.randrange(small[0]), rnd.randrange(small[1]), rnd.randrange(4, small[0] // 6)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.ellipse((x, y, x + s, y + s * rnd.uniform(0.3, 1.5)), fill=colour)
        else:
            draw.polygon([(x + rnd.randint(-s, s), y + rnd.randint(-s, s)) for _ in range(4)],
                         fill=colour)
    picture = base.filter(ImageFilter.GaussianBlur(1.2)).resize(SIZE, Image.Resampling.BICUBIC)
    texture = Image.effect_noise((width // 2, height // 2), 18).resize(SIZE)
    grain = ImageChops.add(texture, Image.effect_noise(SIZE, 6), offset=-128)
    return ImageChops.add(picture, Image.merge("RGB", (grain, grain, grain)), offset=-128)


def make_inputs(count: int, seed: int) -> list[bytes]:
    """``count`` q92 JPEGs of photo-like pictures."""
    inputs = []
    for index in range(count):
        out = io.BytesIO()
        photo_like(seed + index).save(out, format="JPEG", quality=INPUT_QUALITY)
        inputs.append(out.getvalue())
    return inputs


def pin_to_one_core() -> str:
    """Pin this process to one CPU so the numbers mean "per core"."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this OS)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def timed(work: Callable[[], object]) -> tuple[float, object]:
    """Milliseconds taken by ``work()`` and its result."""
    start = time.perf_counter()
    result = work()
    return (time.perf_counter() - start) * 1000, result


def decode_resize(data: bytes, settings: PhotoSettings) -> None:
    """Only the decode + downscale stage (the part draft mode speeds up)."""
    with images._open(data, settings) as im:  # noqa: SLF001 - same code path as the pipeline
        images._decode_downscaled(im, settings)  # noqa: SLF001


def p95(values: Sequence[float]) -> float:
    """95th percentile, nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def used_quality(jpeg: bytes, reference: dict[int, list[int]]) -> str:
    """"q80" when the stored photo kept the configured quality, else "lower"."""
    with Image.open(io.BytesIO(jpeg)) as im:
        return "q80" if dict(im.quantization) == reference else "lower"


def run(count: int, repeat: int, seed: int) -> int:
    """Generate, measure, print the table; the exit status is 0 when every target passes."""
    pinned = pin_to_one_core()
    started = time.perf_counter()
    inputs = make_inputs(count, seed)
    generated_s = time.perf_counter() - started
    modes = {"draft": PhotoSettings(), "no draft": PhotoSettings(use_draft=False)}
    for settings in modes.values():  # warm-up: imports, allocator, code paths
        process_photo(inputs[0], settings)
        decode_resize(inputs[0], settings)

    total: dict[str, list[float]] = {name: [] for name in modes}
    stage: dict[str, list[float]] = {name: [] for name in modes}
    stored: dict[str, list[int]] = {name: [] for name in modes}
    thumbs: dict[str, list[int]] = {name: [] for name in modes}
    kept_q80 = 0
    with Image.open(io.BytesIO(_q80_sample())) as ref:
        reference = dict(ref.quantization)
    for _ in range(repeat):
        for data in inputs:
            for name, settings in modes.items():  # interleaved, so drift hits both alike
                ms, photo = timed(lambda: process_photo(data, settings))
                total[name].append(ms)
                stage[name].append(timed(lambda: decode_resize(data, settings))[0])
                stored[name].append(len(photo.jpeg))
                thumbs[name].append(len(photo.thumb))
                if name == "draft" and used_quality(photo.jpeg, reference) == "q80":
                    kept_q80 += 1

    print_report(pinned, generated_s, inputs, total, stage, stored, thumbs,
                 kept_q80, count * repeat)
    speedup = statistics.median(total["no draft"]) / statistics.median(total["draft"])
    return 0 if (speedup >= TARGET_SPEEDUP and statistics.median(total["draft"]) <= TARGET_MS
                 and statistics.median(stored["draft"]) <= TARGET_BYTES) else 1


def _q80_sample() -> bytes:
    """A tiny JPEG at the configured quality, for its quantisation tables."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16)).save(out, format="JPEG", quality=PhotoSettings().quality)
    return out.getvalue()


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_report(pinned: str, generated_s: float, inputs: list[bytes],
                 total: dict[str, list[float]], stage: dict[str, list[float]],
                 stored: dict[str, list[int]], thumbs: dict[str, list[int]],
                 kept_q80: int, runs: int) -> None:
    """The compact result table."""
    med = statistics.median
    settings = PhotoSettings()
    print(f"Photo pipeline benchmark: {len(inputs)} x {SIZE[0]}x{SIZE[1]} q{INPUT_QUALITY} "
          f"JPEGs, {runs // len(inputs)} runs each; {pinned}; inputs made in {generated_s:.1f} s")
    print(f"Output: long edge {settings.max_edge} px, q{settings.quality} (lowered only when "
          f"over {settings.max_output_bytes // 1024} KB), thumb {settings.thumb_edge} px")
    print(SOURCE_NOTE)
    print(f"Input bytes: median {med(map(len, inputs)) / 1e6:.2f} MB "
          f"(min {min(map(len, inputs)) / 1e6:.2f}, max {max(map(len, inputs)) / 1e6:.2f})")
    print()
    print(f"{'':22}{'draft':>10}{'no draft':>10}{'speed-up':>10}")
    for label, data in (("pipeline median ms", total), ("decode+resize median", stage)):
        print(f"{label:22}{med(data['draft']):10.1f}{med(data['no draft']):10.1f}"
              f"{med(data['no draft']) / med(data['draft']):9.2f}x")
    print(f"{'pipeline p95 ms':22}{p95(total['draft']):10.1f}{p95(total['no draft']):10.1f}")
    print(f"{'stored photo KB (med)':22}{med(stored['draft']) / 1024:10.1f}"
          f"{med(stored['no draft']) / 1024:10.1f}")
    print(f"{'thumbnail KB (med)':22}{med(thumbs['draft']) / 1024:10.1f}"
          f"{med(thumbs['no draft']) / 1024:10.1f}")
    print(f"{'kept q80 (draft)':22}{kept_q80:>7}/{runs}")
    print()
    speedup = med(total["no draft"]) / med(total["draft"])
    print(f"{verdict(speedup >= TARGET_SPEEDUP)}  speed-up >= {TARGET_SPEEDUP:.0f}x vs no draft"
          f": {speedup:.2f}x")
    print(f"{verdict(med(total['draft']) <= TARGET_MS)}  <= {TARGET_MS:.0f} ms per photo "
          f"(median): {med(total['draft']):.1f} ms (p95 {p95(total['draft']):.1f} ms)")
    print(f"{verdict(med(stored['draft']) <= TARGET_BYTES)}  <= {TARGET_BYTES // 1024} KB per "
          f"stored photo (median): {med(stored['draft']) / 1024:.1f} KB "
          f"(max {max(stored['draft']) / 1024:.1f} KB)")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=8, help="number of photos (default 8)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per photo (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="first random seed (default 1)")
    args = parser.parse_args(argv)
    return run(max(1, args.count), max(1, args.repeat), args.seed)


if __name__ == "__main__":
    sys.exit(main())

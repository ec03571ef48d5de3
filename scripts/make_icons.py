"""Render the kopingreport icon (static/icons/icon.svg geometry) to PNG with Pillow."""
import math
from PIL import Image, ImageDraw

BRAND = (11, 79, 108, 255)
WHITE = (255, 255, 255, 255)

def bez(p0, p1, p2, p3, n=24):
    return [tuple((1-t)**3*a + 3*(1-t)**2*t*b + 3*(1-t)*t**2*c + t**3*d for a, b, c, d in zip(p0, p1, p2, p3))
            for t in (i / n for i in range(1, n + 1))]

def shapes():
    cx, cy, r = 32, 27, 17
    a0 = math.atan2(36.97 - cy, 18.23 - cx)  # left tangent point
    a1 = math.atan2(36.97 - cy, 45.77 - cx) + 2 * math.pi
    arc = [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in
           (a0 + (a1 - a0) * i / 96 for i in range(97))]
    pin = [(32, 56), *arc]
    shield = [(32, 16.5), (41, 20), (41, 27), *bez((41, 27), (41, 32.5), (37, 36), (32, 38)),
              *bez((32, 38), (27, 36), (23, 32.5), (23, 27)), (23, 20)]
    check = [(27.6, 27.2), (30.8, 30.4), (36.6, 24.2)]
    return pin, shield, check

def render(size, maskable=False, ss=8):
    big = size * ss
    im = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    if maskable:
        dr.rectangle([0, 0, big, big], fill=BRAND)
        scale, off = big / 64 * 0.72, big * 0.14  # keep the mark inside the 80 % safe circle
    else:
        dr.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 14 / 64, fill=BRAND)
        scale, off = big / 64, 0
    tr = lambda pts: [(x * scale + off, y * scale + off) for x, y in pts]
    pin, shield, check = shapes()
    dr.polygon(tr(pin), fill=WHITE)
    dr.polygon(tr(shield), fill=BRAND)
    dr.line(tr(check), fill=WHITE, width=round(2.6 * scale), joint="curve")
    for x, y in tr([check[0], check[-1]]):
        w = 1.3 * scale
        dr.ellipse([x - w, y - w, x + w, y + w], fill=WHITE)
    return im.resize((size, size), Image.LANCZOS)

if __name__ == "__main__":
    import sys
    out = sys.argv[1]
    render(192).save(f"{out}/icon-192.png", optimize=True)
    render(512).save(f"{out}/icon-512.png", optimize=True)
    render(512, maskable=True).save(f"{out}/icon-maskable-512.png", optimize=True)

"""Signature and seal images drawn at run time with Pillow (Decree 30/2020, Annex I §7):
the signer's handwritten signature in blue, the agency seal in red, transparent backgrounds.
Real deployments load each person's and agency's own PNG; these stand in for the demo."""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

BLUE = (20, 40, 170, 255)
RED = (210, 20, 30, 255)
SERIF = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
SANS_BOLD = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"


def _font(size: int, path: str = SERIF) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.truetype(SERIF, size) if path != SERIF else ImageFont.load_default()


@lru_cache(maxsize=64)
def signature_image(name: str, width: int = 450, height: int = 180) -> Image.Image:
    """A blue scribble derived from the name (stable for one name)."""
    seed = hashlib.sha256(name.encode()).digest()
    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points = []
    for i in range(60):
        t = i / 59
        x = 20 + t * (width - 40)
        wobble = math.sin(t * math.pi * (3 + seed[0] % 4)) * (height * 0.28)
        y = height / 2 + wobble * (0.6 + seed[i % 32] / 640) - (seed[(i + 7) % 32] % 9)
        points.append((x, y))
    draw.line(points, fill=BLUE, width=6, joint="curve")
    draw.line([(width * 0.15, height * 0.78), (width * 0.85, height * 0.70)], fill=BLUE, width=4)
    return img


@lru_cache(maxsize=64)
def seal_image(agency_name: str, code: str = "", size: int = 400) -> Image.Image:
    """A red round seal: two rings, the agency name around the rim, a star in the middle."""
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    c = size / 2
    draw.ellipse([6, 6, size - 6, size - 6], outline=RED, width=10)
    draw.ellipse([size * 0.2, size * 0.2, size * 0.8, size * 0.8], outline=RED, width=5)
    star = []
    for k in range(10):
        r = size * (0.14 if k % 2 == 0 else 0.06)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((c + r * math.cos(a), c + r * math.sin(a)))
    draw.polygon(star, fill=RED)
    text = agency_name.upper()
    font = _font(int(size * 0.065))
    radius = size * 0.4
    n = max(len(text), 1)
    span = math.pi * 1.6
    for i, ch in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        glyph = Image.new("RGBA", (int(size * 0.1), int(size * 0.1)), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x = c + radius * math.cos(angle) - glyph.width / 2
        y = c + radius * math.sin(angle) - glyph.height / 2
        img.alpha_composite(glyph, (int(x), int(y)))
    if code:
        draw.text((c, size * 0.7), code, font=_font(int(size * 0.05)), fill=RED, anchor="mm")
    return img

"""The drawing as a PNG, rasterised with Pillow at twice the layout's size (sharp on HiDPI screens)."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from app.drawing.layout import INK, Drawing

SCALE = 2
# Pillow's built-in font has no subscripts or arrows: write them the plain way.
PLAIN = str.maketrans({"₁": "1", "₂": "2", "²": "^2", "→": "->", "↑": "^", "·": "*"})


def _font(size: int):
    try:
        return ImageFont.load_default(size=size * SCALE)
    except TypeError:  # Pillow before 10.1 has one bitmap size
        return ImageFont.load_default()


def to_png(d: Drawing) -> bytes:
    s = SCALE
    canvas = Image.new("RGB", (d.width * s, d.height * s), "white")
    pen = ImageDraw.Draw(canvas)
    pen.text((24 * s, 12 * s), d.title.translate(PLAIN), fill=INK, font=_font(16))
    pen.text((24 * s, 34 * s), d.subtitle, fill=INK, font=_font(12))
    for x1, y1, x2, y2, colour, width in d.edges:
        pen.line([(x1 * s, y1 * s), (x2 * s, y2 * s)], fill=colour, width=max(1, round(width * s)))
    for x, y, size, image, label in d.tiles:
        tile = Image.fromarray(image, "RGB").resize((size * s, size * s), Image.NEAREST)
        canvas.paste(tile, (round(x * s), round(y * s)))
        pen.rectangle([x * s, y * s, (x + size) * s, (y + size) * s], outline=(153, 153, 153))
        if label:
            pen.text(((x - 6) * s, (y + size / 2) * s), label.translate(PLAIN), fill=INK, font=_font(11), anchor="rm")
    for x, y, colour, is_test in d.points:
        r = 3 * s
        pen.ellipse([x * s - r, y * s - r, x * s + r, y * s + r], fill=colour,
                    outline=(34, 34, 34) if is_test else (255, 255, 255), width=s)
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for x, y, text, size, anchor, colour in d.texts:
        pen.text((x * s, y * s), text.translate(PLAIN), fill=colour, font=_font(size), anchor=anchors[anchor])
    out = io.BytesIO()
    canvas.save(out, "PNG", optimize=False)
    return out.getvalue()

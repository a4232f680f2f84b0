"""The drawing as SVG text; each heatmap is an embedded PNG (written with zlib, no imaging library)."""
from __future__ import annotations

import base64
import struct
import zlib
from xml.sax.saxutils import escape

import numpy as np

from app.drawing.layout import INK, Drawing

FONT = "font-family='Helvetica, Arial, sans-serif'"


def png_bytes(image: np.ndarray) -> bytes:
    """An (h, w, 3) uint8 image as a PNG file: signature, IHDR, one IDAT, IEND."""
    h, w, _ = image.shape
    raw = b"".join(b"\x00" + image[r].tobytes() for r in range(h))  # filter type 0 on every row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def _rgb(c) -> str:
    return f"rgb({c[0]},{c[1]},{c[2]})"


def to_svg(d: Drawing) -> bytes:
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{d.width}' height='{d.height}' "
           f"viewBox='0 0 {d.width} {d.height}'>",
           f"<rect width='100%' height='100%' fill='white'/>",
           f"<text x='24' y='26' {FONT} font-size='16' fill='{_rgb(INK)}'>{escape(d.title)}</text>",
           f"<text x='24' y='44' {FONT} font-size='12' fill='{_rgb(INK)}'>{escape(d.subtitle)}</text>",
           "<g fill='none' stroke-opacity='0.7'>"]
    for x1, y1, x2, y2, colour, width in d.edges:
        out.append(f"<path d='M{x1:.1f},{y1:.1f} C{(x1 + x2) / 2:.1f},{y1:.1f} {(x1 + x2) / 2:.1f},{y2:.1f} "
                   f"{x2:.1f},{y2:.1f}' stroke='{_rgb(colour)}' stroke-width='{width:.2f}'/>")
    out.append("</g>")
    for x, y, size, image, label in d.tiles:
        data = base64.b64encode(png_bytes(image)).decode("ascii")
        out.append(f"<image x='{x:.1f}' y='{y:.1f}' width='{size}' height='{size}' preserveAspectRatio='none' "
                   f"style='image-rendering:pixelated' href='data:image/png;base64,{data}'/>")
        out.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{size}' height='{size}' fill='none' stroke='#999'/>")
        if label:
            out.append(f"<text x='{x - 6:.1f}' y='{y + size / 2 + 4:.1f}' {FONT} font-size='11' text-anchor='end' "
                       f"fill='{_rgb(INK)}'>{escape(label)}</text>")
    for x, y, colour, is_test in d.points:
        out.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='{_rgb(colour)}' "
                   f"stroke='{'#222' if is_test else 'white'}' stroke-width='1'/>")
    for x, y, text, size, anchor, colour in d.texts:
        out.append(f"<text x='{x:.1f}' y='{y:.1f}' {FONT} font-size='{size}' text-anchor='{anchor}' "
                   f"fill='{_rgb(colour)}'>{escape(text)}</text>")
    out.append("</svg>\n")
    return "\n".join(out).encode()

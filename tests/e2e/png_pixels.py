"""Pixels of a PNG screenshot (8-bit RGB or RGBA, not interlaced: what Chromium writes), for tests
that check what a reader sees rather than what the stylesheet says. Not a test module."""

from __future__ import annotations

import struct
import zlib


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def rows(png: bytes) -> list[list[tuple[int, int, int]]]:
    """The image as rows of (r, g, b)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, data, width = 8, b"", 0
    height = depth = colour = 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunk = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), (depth, colour)
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(data)
    stride = width * size
    previous = bytearray(stride)
    image = []
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up = previous[x]
            corner = previous[x - size] if x >= size else 0
            add = (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]
            line[x] = (line[x] + add) & 0xFF
        image.append([(line[i], line[i + 1], line[i + 2]) for i in range(0, stride, size)])
        previous = line
    return image


def mean_brightness(png: bytes) -> float:
    """The average of r, g and b over every pixel, 0 (black) to 255 (white)."""
    pixels = [sum(pixel) / 3 for row in rows(png) for pixel in row]
    return sum(pixels) / len(pixels)

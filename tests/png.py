"""A minimal PNG reader for screenshots (8-bit RGB or RGBA, not interlaced), enough to count pixel colours.

numpy (already installed with scikit-learn) decodes the common row filters; Pillow is not needed.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def read_png(path: Path) -> np.ndarray:
    """The image as an array of shape (height, width, 3): red, green, blue."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    position, idat, header = 8, [], None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, chunk = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        position += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and not interlace, f"unsupported PNG {header}"
    channels = 3 if colour_type == 2 else 4
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), np.uint8).reshape(height, stride + 1)
    pixels = np.zeros((height, stride), np.uint8)
    above = np.zeros(stride, np.uint8)
    for y in range(height):
        kind, row = raw[y, 0], raw[y, 1:]
        if kind == 0:
            current = row.copy()
        elif kind == 1:  # sub: a running sum along each channel, modulo 256
            current = row.reshape(-1, channels).cumsum(axis=0, dtype=np.uint8).reshape(-1)
        elif kind == 2:  # up
            current = row + above
        else:  # average or Paeth: each byte depends on the decoded one to its left
            current = np.frombuffer(_sequential(kind, bytes(row), bytes(above), channels), np.uint8)
        pixels[y] = current
        above = current
    return pixels.reshape(height, width, channels)[:, :, :3]


def _sequential(kind: int, row: bytes, above: bytes, bpp: int) -> bytes:
    out = bytearray(len(row))
    for i, value in enumerate(row):
        left = out[i - bpp] if i >= bpp else 0
        up = above[i]
        if kind == 3:
            out[i] = (value + (left + up) // 2) & 0xFF
            continue
        corner = above[i - bpp] if i >= bpp else 0
        estimate = left + up - corner
        pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
        out[i] = (value + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
    return bytes(out)


def count_colour(image: np.ndarray, colour: str, tolerance: int = 2) -> int:
    """How many pixels have this colour (#RRGGBB), give or take `tolerance` per channel."""
    want = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], np.int16)
    return int((np.abs(image.astype(np.int16) - want) <= tolerance).all(axis=2).sum())

"""Make docs/report.png, the README's picture of the seeds' audit report, in headless Chromium: the ranked
overview, then the lowest-ranked seed's document with its evidence highlighted and its boilerplate struck
through (the source section between them is cut out to keep the picture short).

    python docs/report_screenshot.py        # needs chromium on PATH; run from anywhere
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from headless import run_chromium  # noqa: E402  (the tests' Chromium run)
from png import read_png  # noqa: E402  (the tests' PNG reader)

SCALE = 0.75
SECTION_RULE = np.array([0xD0, 0xD0, 0xD0])  # the rule above each source section (report.css --line)
REMOVED_TINT = np.array([0xF3, 0xEC, 0xEC])  # the background of struck-through boilerplate
DOCUMENT_HEAD = 250  # CSS pixels from the top of a document view to its first removed block, about
DOCUMENT_SHOWN = 900  # CSS pixels of the document shown


def main() -> None:
    chromium = shutil.which("chromium") or sys.exit("chromium is not installed")
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "cleanse.cli", "score", str(ROOT / "seeds"), "--report", str(page)], check=True
        )
        last = re.findall(r'<section class="source [^"]*" id="s(\d+)"', page.read_text(encoding="utf-8"))[-1]
        shot = Path(work) / "shot.png"
        run_chromium(
            chromium,
            Path(work) / "profile",
            f"{page.as_uri()}#d{last}-1",
            f"--screenshot={shot}",
            "--window-size=1280,5000",
            f"--force-device-scale-factor={SCALE}",
        )
        image = read_png(shot)
    rule = _first_row(image, SECTION_RULE, share=0.6, thickness=2)  # thicker than the tables' header rules
    document = _first_row(image, REMOVED_TINT, share=0.3) - int(DOCUMENT_HEAD * SCALE)
    gap = np.full((int(24 * SCALE), image.shape[1], 3), 255, np.uint8)
    gap[gap.shape[0] // 2] = 160  # a thin line where the source section was cut out
    picture = np.concatenate([image[:rule], gap, image[document : document + int(DOCUMENT_SHOWN * SCALE)]])
    out = ROOT / "docs" / "report.png"
    out.write_bytes(_png(picture))
    print(f"wrote {out} ({out.stat().st_size // 1024} KB, {picture.shape[1]}x{picture.shape[0]})")


def _first_row(image: np.ndarray, colour: np.ndarray, share: float, thickness: int = 1) -> int:
    """The first of `thickness` rows in a row in which at least `share` of the pixels have this colour."""
    hits = (image == colour).all(axis=2).mean(axis=1) >= share
    runs = np.convolve(hits, np.ones(thickness, int), mode="valid") == thickness
    return int(np.argmax(runs))


def _png(pixels: np.ndarray) -> bytes:
    """An RGB PNG, each row filtered against the one above (small for screenshots)."""
    height, width, _ = pixels.shape
    flat = pixels.reshape(height, width * 3)
    above = np.vstack([np.zeros((1, width * 3), np.uint8), flat[:-1]])
    rows = np.hstack([np.full((height, 1), 2, np.uint8), flat - above])

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(rows.tobytes(), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


if __name__ == "__main__":
    main()

"""Score bands: the one place that says where a score counts as low, mixed or high, and how each band is drawn.

The colours are from the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies); each
band also has its own marker shape and is always written out in words, so nothing relies on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    name: str
    lower: float  # the band holds scores from here up to the next band's lower bound
    colour: str
    shape: str  # triangle | diamond | circle: the marker in charts


BANDS = (
    Band("low", 0.0, "#D55E00", "triangle"),
    Band("mixed", 0.35, "#E69F00", "diamond"),
    Band("high", 0.6, "#0072B2", "circle"),
)


def band_of(score: float | None) -> Band | None:
    """The band a score falls in; None for a source or document without a score."""
    if score is None:
        return None
    return next(band for band in reversed(BANDS) if score >= band.lower)


def band_range(band: Band) -> str:
    """The band's scores in words: "< 0.35", "0.35–0.60", "≥ 0.60"."""
    position = BANDS.index(band)
    if position == len(BANDS) - 1:
        return f"≥ {band.lower:.2f}"
    upper = BANDS[position + 1].lower
    return f"< {upper:.2f}" if position == 0 else f"{band.lower:.2f}–{upper:.2f}"

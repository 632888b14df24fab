"""cleanse: article bodies without boilerplate, and the editorial practice of documents and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Cleaner", "Filters", "Limits", "__version__"]

if TYPE_CHECKING:
    from cleanse.pipeline import Cleaner, Filters

from cleanse.limits import Limits  # light: the per-document limits a Cleaner takes


def __getattr__(name: str):
    """Import the pipeline on first use, so that `import cleanse` (and `cleanse --help`) stays instant."""
    if name in ("Cleaner", "Filters"):
        from cleanse import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'cleanse' has no attribute {name!r}")

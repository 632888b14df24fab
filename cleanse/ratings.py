"""Public source ratings, shown beside the content score as context; the content score never uses them.

The table is the aggregate domain-quality score pc1 of Lin et al. 2023 ("High level of correspondence across
different news domain quality rating sets", PNAS Nexus): 11,520 news domains, 0 (lowest) to 1 (highest),
combining six expert rating sets. Reused with the authors' permission; cite the paper.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

RATINGS_FILE = Path(__file__).resolve().parent / "data" / "lin2023_pc1.csv"
RATING_NAME = "Lin et al. 2023 pc1"
#: A content score this far from the public rating (both on 0-1) is flagged as a strong disagreement.
DISAGREEMENT = 0.35


@lru_cache(maxsize=1)
def known_ratings(path: Path = RATINGS_FILE) -> dict[str, float]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["domain"]: float(row["pc1"]) for row in csv.DictReader(handle)}


def rated_domain(host: str | None, ratings: dict[str, float]) -> str | None:
    """The host, or its closest parent domain, that has a rating (news.bbc.co.uk -> bbc.co.uk)."""
    if not host:
        return None
    parts = host.lower().strip(".").removeprefix("www.").split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in ratings:
            return candidate
    return None


def disagrees(score: float, rating: float) -> bool:
    return abs(score - rating) >= DISAGREEMENT

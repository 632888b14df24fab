"""Per-source audit: aggregate the output records of one source into a score with an honest interval.

The interval is the central 90 % of a Beta posterior that treats each document's score as fractional evidence
on top of a flat Beta(1, 1) prior: one document leaves it wide, a hundred consistent ones make it narrow.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cleanse.credibility import describe_value, feature_value
from cleanse.ratings import RATING_NAME, disagrees, known_ratings, rated_domain
from cleanse.rules import SignalDef

INTERVAL = 0.90
PRIOR = 1.0
TOP_REASONS = 3
TOP_DISTINCTIVE = 3
#: A signal sets a source apart when its mean (of log(1 + value)) lies this many corpus standard deviations away.
DISTINCTIVE_Z = 1.0


@dataclass
class SourceReport:
    source: str
    documents: int
    statuses: dict[str, int]
    score: float | None = None
    low: float | None = None
    high: float | None = None
    signals: dict[str, float] = field(default_factory=dict)
    reasons: list[dict[str, Any]] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)
    distinctive: list[dict[str, Any]] = field(default_factory=list)
    rated_domain: str | None = None
    known_rating: float | None = None

    @property
    def disagrees_with_rating(self) -> bool:
        return self.score is not None and self.known_rating is not None and disagrees(self.score, self.known_rating)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "documents": self.documents,
            "statuses": self.statuses,
            "score": _round(self.score),
            "interval": None if self.score is None else [_round(self.low), _round(self.high)],
            "reasons": self.reasons,
            "distinctive": self.distinctive,
            "known_rating": self.known_rating,
            "rated_domain": self.rated_domain,
            "rating_source": RATING_NAME if self.known_rating is not None else None,
            "disagrees_with_rating": self.disagrees_with_rating,
            "removed": self.removed,
            "signals": {k: _round(v) for k, v in self.signals.items()},
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def is_scored(record: dict[str, Any]) -> bool:
    """Whether a record's score counts for its source: it was read and scored (filtered records count)."""
    return record.get("status") != "error" and bool(record.get("credibility"))


def group_key(record: dict[str, Any], group_by: str) -> str:
    if group_by == "host":
        url = record.get("url") or ""
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").removeprefix("www.")
        return host or str(record.get("source") or "(unknown)")
    value = record.get(group_by)
    return "(none)" if value in (None, "") else str(value)


def aggregate(
    records: Iterable[dict[str, Any]], catalogue: dict[str, SignalDef], group_by: str = "source"
) -> list[SourceReport]:
    """Source reports ranked by score, best first; sources without any scored document come last."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[group_key(record, group_by)].append(record)
    reports = [_report(name, members, catalogue) for name, members in groups.items()]
    _mark_distinctive(reports, groups, catalogue)
    ratings = known_ratings()
    for report in reports:
        domain = rated_domain(_host_of(report.source, groups[report.source]), ratings)
        if domain is not None:
            report.rated_domain, report.known_rating = domain, ratings[domain]
    return sorted(reports, key=lambda r: (r.score is None, -(r.score or 0.0), r.source))


def _host_of(name: str, records: list[dict[str, Any]]) -> str | None:
    """The web host a group stands for: its most common URL host, else its name when that is a domain."""
    hosts = Counter(group_key(r, "host") for r in records if r.get("url"))
    if hosts:
        return hosts.most_common(1)[0][0]
    return name if "." in name and " " not in name else None


def _mark_distinctive(
    reports: list[SourceReport], groups: dict[str, list[dict[str, Any]]], catalogue: dict[str, SignalDef]
) -> None:
    """For each source, the signals whose mean differs most from all documents' (in corpus standard deviations).

    Measured on log(1 + value), the scale the model uses, so that one extreme document does not dominate.
    """
    import statistics

    values: dict[str, list[float]] = defaultdict(list)
    for members in groups.values():
        for record in filter(is_scored, members):
            for name, signal in record["signals"].items():
                values[name].append(feature_value(signal["value"]))
    spread = {n: (statistics.fmean(v), statistics.pstdev(v)) for n, v in values.items() if len(v) > 1}
    for report in reports:
        scored = [r for r in groups[report.source] if is_scored(r)]
        found = []
        for name, (mean, deviation) in spread.items():
            own = [feature_value(r["signals"][name]["value"]) for r in scored if name in r["signals"]]
            if not own or deviation == 0 or name not in catalogue:
                continue
            z = (statistics.fmean(own) - mean) / deviation
            if abs(z) >= DISTINCTIVE_Z:
                found.append((z, name))
        found.sort(key=lambda item: (-abs(item[0]), item[1]))
        report.distinctive = [
            _distinctive(catalogue[name], z, report.signals.get(name, 0.0), values[name])
            for z, name in found[:TOP_DISTINCTIVE]
        ]


def _distinctive(signal: SignalDef, z: float, own: float, corpus: list[float]) -> dict[str, Any]:
    import math
    import statistics

    if signal.normalise == "presence":
        share = sum(1 for v in corpus if v > 0) / len(corpus)
        words = f"{signal.description}: {describe_value(signal, own)}, in {share:.0%} of all documents"
    else:
        side = "above" if z > 0 else "below"
        typical = describe_value(signal, math.expm1(statistics.median(corpus)))
        words = f"{signal.description}: {describe_value(signal, own)}, {side} the corpus median of {typical}"
    return {"signal": signal.name, "z": round(z, 2), "explanation": words}


def _report(name: str, records: list[dict[str, Any]], catalogue: dict[str, SignalDef]) -> SourceReport:
    report = SourceReport(name, len(records), dict(sorted(Counter(r.get("status") for r in records).items())))
    scored = [r for r in records if is_scored(r)]
    removed = Counter(item["label"] for r in records for item in r.get("removed") or [])
    report.removed = dict(sorted(removed.items()))
    if not scored:
        return report
    scores = [r["credibility"]["score"] for r in scored]
    report.score = sum(scores) / len(scores)
    report.low, report.high = beta_interval(sum(scores), len(scores) - sum(scores))
    values: dict[str, list[float]] = defaultdict(list)
    for r in scored:
        for name_, signal in r["signals"].items():
            values[name_].append(signal["value"])
    report.signals = {k: sum(v) / len(v) for k, v in values.items()}
    report.reasons = _source_reasons(scored, report.signals, catalogue)
    return report


def _source_reasons(
    scored: list[dict[str, Any]], means: dict[str, float], catalogue: dict[str, SignalDef]
) -> list[dict[str, Any]]:
    """The signals that moved the source's documents most, averaged over its documents (signed log-odds)."""
    totals: dict[str, float] = defaultdict(float)
    said: dict[str, str] = {}  # a document's own words, for reasons that are not catalogue signals (style)
    for r in scored:
        for reason in r["credibility"]["reasons"]:
            totals[reason["signal"]] += reason["contribution"]
            said.setdefault(reason["signal"], reason["explanation"])
    ranked = sorted(totals, key=lambda s: (-abs(totals[s]), s))[:TOP_REASONS]
    reasons = []
    for name in ranked:
        signal = catalogue.get(name)
        words = (
            said[name] if signal is None else f"{signal.description}: {describe_value(signal, means.get(name, 0.0))}"
        )
        average = " on average" if len(scored) > 1 else ""
        reasons.append(
            {
                "signal": name,
                "contribution": round(totals[name] / len(scored), 4),
                "explanation": words + average,
            }
        )
    return reasons


def beta_interval(successes: float, failures: float) -> tuple[float, float]:
    from scipy.stats import beta

    tail = (1 - INTERVAL) / 2
    a, b = PRIOR + successes, PRIOR + failures
    return float(beta.ppf(tail, a, b)), float(beta.ppf(1 - tail, a, b))

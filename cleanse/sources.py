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
    aggregator = SourceAggregator(catalogue, group_by)
    for record in records:
        aggregator.add(record)
    return aggregator.reports()


def summarise(record: dict[str, Any], group_by: str = "source") -> dict[str, Any]:
    """The part of an output record that the source reports need (no text, no evidence): what a worker sends
    back for `cleanse score`."""
    out = {key: record.get(key) for key in ("source", "url", "status", group_by)}
    credibility = record.get("credibility")
    if credibility:
        out["credibility"] = {"score": credibility["score"], "reasons": credibility["reasons"]}
    out["signals"] = {name: {"value": s["value"]} for name, s in (record.get("signals") or {}).items()}
    out["removed"] = [{"label": item["label"]} for item in record.get("removed") or []]
    return out


class SourceAggregator:
    """Source reports from a stream of output records, keeping running totals per source and the distribution
    of each signal's values (a count per distinct value), never the records: memory grows with the number of
    sources, not of documents."""

    def __init__(self, catalogue: dict[str, SignalDef], group_by: str = "source"):
        self.catalogue, self.group_by = catalogue, group_by
        self.tallies: dict[str, _Tally] = {}
        self.corpus: dict[str, Counter] = defaultdict(Counter)  # signal -> value -> scored documents

    def add(self, record: dict[str, Any]) -> None:
        name = group_key(record, self.group_by)
        tally = self.tallies.get(name) or self.tallies.setdefault(name, _Tally())
        tally.add(record)
        if is_scored(record):
            for signal, measured in record["signals"].items():
                self.corpus[signal][measured["value"]] += 1

    def reports(self) -> list[SourceReport]:
        """Source reports ranked by score, best first; sources without any scored document come last."""
        reports = [tally.report(name, self.catalogue) for name, tally in self.tallies.items()]
        _mark_distinctive(reports, self.tallies, self.corpus, self.catalogue)
        ratings = known_ratings()
        for report in reports:
            domain = rated_domain(self.tallies[report.source].host(report.source), ratings)
            if domain is not None:
                report.rated_domain, report.known_rating = domain, ratings[domain]
        return sorted(reports, key=lambda r: (r.score is None, -(r.score or 0.0), r.source))


@dataclass
class _Tally:
    """Running totals of one source's documents."""

    documents: int = 0
    statuses: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    hosts: Counter = field(default_factory=Counter)
    scored: int = 0
    score_sum: float = 0.0
    signal_sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    signal_counts: Counter = field(default_factory=Counter)
    feature_sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    reason_totals: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    said: dict[str, str] = field(default_factory=dict)  # a document's own words, for reasons that are not signals

    def add(self, record: dict[str, Any]) -> None:
        self.documents += 1
        self.statuses[record.get("status")] += 1
        self.removed.update(item["label"] for item in record.get("removed") or [])
        if record.get("url"):
            self.hosts[group_key(record, "host")] += 1
        if not is_scored(record):
            return
        self.scored += 1
        self.score_sum += record["credibility"]["score"]
        for name, signal in record["signals"].items():
            self.signal_sums[name] += signal["value"]
            self.signal_counts[name] += 1
            self.feature_sums[name] += feature_value(signal["value"])
        for reason in record["credibility"]["reasons"]:
            self.reason_totals[reason["signal"]] += reason["contribution"]
            self.said.setdefault(reason["signal"], reason["explanation"])

    def host(self, name: str) -> str | None:
        """The web host the source stands for: its most common URL host, else its name when that is a domain."""
        if self.hosts:
            return self.hosts.most_common(1)[0][0]
        return name if "." in name and " " not in name else None

    def report(self, name: str, catalogue: dict[str, SignalDef]) -> SourceReport:
        report = SourceReport(name, self.documents, dict(sorted(self.statuses.items())))
        report.removed = dict(sorted(self.removed.items()))
        if not self.scored:
            return report
        report.score = self.score_sum / self.scored
        report.low, report.high = beta_interval(self.score_sum, self.scored - self.score_sum)
        report.signals = {k: total / self.signal_counts[k] for k, total in self.signal_sums.items()}
        report.reasons = self._reasons(report.signals, catalogue)
        return report

    def _reasons(self, means: dict[str, float], catalogue: dict[str, SignalDef]) -> list[dict[str, Any]]:
        """The signals that moved the source's documents most, averaged over its documents (signed log-odds)."""
        totals = self.reason_totals
        reasons = []
        for name in sorted(totals, key=lambda s: (-abs(totals[s]), s))[:TOP_REASONS]:
            signal = catalogue.get(name)
            words = (
                self.said[name]
                if signal is None
                else f"{signal.description}: {describe_value(signal, means.get(name, 0.0))}"
            )
            average = " on average" if self.scored > 1 else ""
            reasons.append(
                {
                    "signal": name,
                    "contribution": round(totals[name] / self.scored, 4),
                    "explanation": words + average,
                }
            )
        return reasons


def _mark_distinctive(
    reports: list[SourceReport],
    tallies: dict[str, _Tally],
    corpus: dict[str, Counter],
    catalogue: dict[str, SignalDef],
) -> None:
    """For each source, the signals whose mean differs most from all documents' (in corpus standard deviations).

    Measured on log(1 + value), the scale the model uses, so that one extreme document does not dominate.
    """
    spread = {name: _Spread(values) for name, values in corpus.items() if values.total() > 1}
    for report in reports:
        tally = tallies[report.source]
        found = []
        for name, corpus_spread in spread.items():
            if not tally.signal_counts[name] or corpus_spread.deviation == 0 or name not in catalogue:
                continue
            z = (tally.feature_sums[name] / tally.signal_counts[name] - corpus_spread.mean) / corpus_spread.deviation
            if abs(z) >= DISTINCTIVE_Z:
                found.append((z, name))
        found.sort(key=lambda item: (-abs(item[0]), item[1]))
        report.distinctive = [
            _distinctive(catalogue[name], z, report.signals.get(name, 0.0), spread[name])
            for z, name in found[:TOP_DISTINCTIVE]
        ]


class _Spread:
    """Mean, standard deviation, median and share above zero of log(1 + value) over the scored documents,
    from the count of each distinct value."""

    def __init__(self, values: Counter):
        import math

        self.n = values.total()
        features = sorted((feature_value(v), c) for v, c in values.items())
        self.mean = math.fsum(f * c for f, c in features) / self.n
        self.deviation = math.sqrt(math.fsum(c * (f - self.mean) ** 2 for f, c in features) / self.n)
        self.share = sum(c for f, c in features if f > 0) / self.n
        self.median = (_nth(features, (self.n - 1) // 2) + _nth(features, self.n // 2)) / 2


def _nth(counted: list[tuple[float, int]], index: int) -> float:
    """The value at `index` of the sorted values that `counted` lists with their counts."""
    seen = 0
    for value, count in counted:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def _distinctive(signal: SignalDef, z: float, own: float, corpus: _Spread) -> dict[str, Any]:
    import math

    if signal.normalise == "presence":
        words = f"{signal.description}: {describe_value(signal, own)}, in {corpus.share:.0%} of all documents"
    else:
        side = "above" if z > 0 else "below"
        typical = describe_value(signal, math.expm1(corpus.median))
        words = f"{signal.description}: {describe_value(signal, own)}, {side} the corpus median of {typical}"
    return {"signal": signal.name, "z": round(z, 2), "explanation": words}


def beta_interval(successes: float, failures: float) -> tuple[float, float]:
    from scipy.stats import beta

    tail = (1 - INTERVAL) / 2
    a, b = PRIOR + successes, PRIOR + failures
    return float(beta.ppf(tail, a, b)), float(beta.ppf(1 - tail, a, b))

"""The audit report: one self-contained HTML file to compare sources at a glance and then check the evidence.

An overview ranks the sources (score, interval, documents, band, a known public rating where the source report
carries a `known_rating`); a section per source shows its signals against the corpus median, its signed
reasons, the boilerplate removed by kind and its documents; each document shows its clean body with every
signal's evidence highlighted and the removed boilerplate struck through where it stood (the record's
`removed[].at`). Styles, the script (sorting, filtering, folding) and the charts (inline SVG) are inline: the
file makes no network request and opens from disk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from html import escape
from importlib.resources import files
from statistics import median
from typing import Any

from cleanse import __version__
from cleanse.bands import BANDS, Band, band_of, band_range
from cleanse.credibility import describe_value
from cleanse.rules import SignalDef
from cleanse.sources import INTERVAL, group_key, is_scored

#: Documents listed and shown per source; a larger source says how many more it has.
DOCUMENTS_SHOWN = 100
DIRECTION_CLASS = {"positive": "pos", "negative": "neg", "neutral": "neu"}
DIRECTION_WORDS = {"pos": "sound practice", "neg": "unsound practice", "neu": "neutral"}
PLOT_WIDTH, PLOT_HEIGHT, PLOT_PAD = 240, 24, 10
BAR_WIDTH, BAR_HEIGHT = 160, 14


def render_report(
    sources: Iterable[Mapping[str, Any]],
    records: Iterable[Mapping[str, Any]],
    catalogue: Mapping[str, SignalDef],
    group_by: str = "source",
) -> str:
    """The report page for ranked source reports (`SourceReport.to_dict()`) and the output records behind them."""
    sources, records = list(sources), list(records)
    by_source: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for record in records:
        by_source[group_key(record, group_by)].append(record)
    corpus = _Corpus(records, catalogue)
    sections = [
        _source_section(rank, source, by_source.get(source["source"], []), corpus)
        for rank, source in enumerate(sources, start=1)
    ]
    body = [_header(sources, records, group_by), _overview(sources), *sections]
    return _page("\n".join(body))


class _Corpus:
    """What every source is compared with: the median of each signal over the scored documents, and the
    largest value seen (the full length of its bars)."""

    def __init__(self, records: list[Mapping[str, Any]], catalogue: Mapping[str, SignalDef]):
        self.catalogue = catalogue
        scored = [r for r in records if is_scored(r)]
        values = {name: [_signal_value(r, name) for r in scored] for name in catalogue}
        self.median = {name: median(v) if v else 0.0 for name, v in values.items()}
        self.largest = {name: max(v, default=0.0) for name, v in values.items()}

    def direction(self, name: str) -> str:
        signal = self.catalogue.get(name)
        return DIRECTION_CLASS.get(signal.direction if signal else "neutral", "neu")

    def describe(self, name: str, value: float) -> str:
        """The value in words, short enough for a table cell."""
        signal = self.catalogue.get(name)
        words = f"{value:g}" if signal is None else describe_value(signal, value)
        return words.replace(" per 1,000 words", " /1k words")


def _signal_value(record: Mapping[str, Any], name: str) -> float:
    return float((record.get("signals") or {}).get(name, {}).get("value", 0.0))


# --- page frame --------------------------------------------------------------------------------------------


@cache
def _asset(name: str) -> str:
    return (files("cleanse") / "report_assets" / name).read_text(encoding="utf-8")


def _page(body: str) -> str:
    band_colours = "\n".join(f".band-{b.name} {{ --band: {b.colour}; }}" for b in BANDS)
    return f"""<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cleanse {escape(__version__)}">
<title>cleanse audit report</title>
<style>
{_asset("report.css")}
{band_colours}
</style>
</head>
<body>
{body}
<script>
{_asset("report.js")}
</script>
</body>
</html>
"""


def _header(sources: list[Mapping[str, Any]], records: list[Mapping[str, Any]], group_by: str) -> str:
    statuses: dict[str, int] = defaultdict(int)
    for record in records:
        statuses[str(record.get("status"))] += 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    legend = "".join(
        f'<li class="band-{b.name}">{_marker_svg(b)} <strong>{b.name}</strong> {escape(band_range(b))}</li>'
        for b in BANDS
    )
    return f"""<header>
<h1>cleanse audit report</h1>
<p class="lede">{len(records)} documents ({escape(counts or "none")}) from {len(sources)} sources, grouped by
<code>{escape(group_by)}</code>. Each source's score is the mean of its documents' scores with a
{INTERVAL:.0%} interval that is wide for few documents.</p>
<p class="caveat"><strong>What the score is not:</strong> it does not say whether a claim is true. It describes
editorial practice — how a text sources, attributes and presents what it says, and what else it sells.
Use it to triage and audit, never as a fact-check.</p>
<ul class="bands" aria-label="score bands">{legend}</ul>
</header>"""


# --- overview ----------------------------------------------------------------------------------------------


def _overview(sources: list[Mapping[str, Any]]) -> str:
    band_filters = "".join(
        f'<label class="band-{b.name}"><input type="checkbox" data-band-filter="{b.name}" checked> '
        f"{_marker_svg(b)} {b.name}</label>"
        for b in BANDS
    )
    rows = "\n".join(_overview_row(rank, source) for rank, source in enumerate(sources, start=1))
    return f"""<section id="overview" aria-labelledby="overview-title">
<h2 id="overview-title">Sources, best first</h2>
<div class="controls js-only">
<label>Filter <input type="search" id="source-filter" placeholder="source name"></label>
<span class="band-filters">{band_filters}</span>
<span id="source-count" aria-live="polite"></span>
<a href="#overview" id="show-all">show all sources</a>
</div>
<table class="sortable overview">
<thead><tr>
{_th("rank", "num")}{_th("source")}{_th("band", "num")}{_th("score", "num")}
<th scope="col" class="plot-head">{_axis_svg()}</th>
{_th("docs", "num")}{_th("public rating")}{_th("boilerplate removed", "num")}
</tr></thead>
<tbody>
{rows}
</tbody>
</table>
</section>"""


def _th(label: str, kind: str = "text") -> str:
    return f'<th scope="col" data-kind="{kind}"><button type="button">{escape(label)}</button></th>'


def _overview_row(rank: int, source: Mapping[str, Any]) -> str:
    score, band = source.get("score"), band_of(source.get("score"))
    interval = source.get("interval") or [None, None]
    removed = source.get("removed") or {}
    removed_total = sum(removed.values())
    removed_words = ", ".join(f"{label} {n}" for label, n in removed.items()) or "—"
    name = str(source["source"])
    score_text = "—" if score is None else f"{score:.3f}"
    interval_text = "" if score is None else f"{interval[0]:.2f}–{interval[1]:.2f}"
    rating = _rating_text(source.get("known_rating"))
    band_name = band.name if band else "none"
    return (
        f'<tr class="band-{band_name}" data-band="{band_name}" data-name="{escape(name.lower())}">'
        f'<td data-v="{rank}">{rank}</td>'
        f'<td data-v="{escape(name)}"><a href="#s{rank}">{escape(name)}</a></td>'
        f'<td data-v="{_band_order(band)}">{_band_label(band)}</td>'
        f'<td data-v="{"" if score is None else score}">{score_text} <small>{interval_text}</small></td>'
        f"<td>{_interval_svg(source, band)}</td>"
        f'<td data-v="{source.get("documents", 0)}">{source.get("documents", 0)}</td>'
        f'<td data-v="{escape(rating)}">{escape(rating)}</td>'
        f'<td data-v="{removed_total}">{escape(removed_words)}</td>'
        "</tr>"
    )


def _rating_text(rating: Any) -> str:
    """A known public rating as the source report carries it: a number, a word, or a small mapping."""
    if rating is None:
        return ""
    if isinstance(rating, float):
        return f"{rating:.2f}"
    if isinstance(rating, Mapping):
        return ", ".join(f"{key} {_rating_text(value)}" for key, value in rating.items())
    return str(rating)


def _band_order(band: Band | None) -> str:
    """What a band column sorts by: the band's place from low to high; empty (last) without a score."""
    return "" if band is None else str(BANDS.index(band))


def _band_label(band: Band | None) -> str:
    if band is None:
        return '<span class="band-label">no score</span>'
    return f'<span class="band-label band-{band.name}">{_marker_svg(band)} {band.name}</span>'


def _x(value: float) -> float:
    return round(PLOT_PAD + value * (PLOT_WIDTH - 2 * PLOT_PAD), 1)


def _zones(height: int) -> str:
    uppers = [b.lower for b in BANDS[1:]] + [1.0]
    return "".join(
        f'<rect class="zone band-{b.name}" x="{_x(b.lower)}" y="0" width="{_x(up) - _x(b.lower)}" height="{height}"/>'
        for b, up in zip(BANDS, uppers, strict=True)
    )


def _axis_svg() -> str:
    ticks = sorted({0.0, 1.0, *(b.lower for b in BANDS)})
    marks = "".join(
        f'<line x1="{_x(t)}" x2="{_x(t)}" y1="14" y2="20"/><text x="{_x(t)}" y="11">{t:g}</text>' for t in ticks
    )
    return (
        f'<svg class="axis" width="{PLOT_WIDTH}" height="22" viewBox="0 0 {PLOT_WIDTH} 22" role="img" '
        f'aria-label="score from 0 to 1, with band boundaries">{marks}</svg>'
    )


def _interval_svg(source: Mapping[str, Any], band: Band | None) -> str:
    score, interval = source.get("score"), source.get("interval")
    if score is None or band is None or not interval:
        return ""
    y = PLOT_HEIGHT / 2
    low, high = _x(interval[0]), _x(interval[1])
    label = (
        f"{source['source']}: score {score:.3f}, {INTERVAL:.0%} interval {interval[0]:.2f}–{interval[1]:.2f}, "
        f"{source.get('documents', 0)} documents, band {band.name}"
    )
    return (
        f'<svg class="interval" width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}" viewBox="0 0 {PLOT_WIDTH} {PLOT_HEIGHT}"'
        f' role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>{_zones(PLOT_HEIGHT)}'
        f'<line class="whisker" x1="{low}" x2="{high}" y1="{y}" y2="{y}"/>'
        f'<line class="whisker" x1="{low}" x2="{low}" y1="{y - 5}" y2="{y + 5}"/>'
        f'<line class="whisker" x1="{high}" x2="{high}" y1="{y - 5}" y2="{y + 5}"/>'
        f"{_marker(band, _x(score), y)}</svg>"
    )


def _marker(band: Band, x: float, y: float, size: float = 6.5) -> str:
    fill = f'fill="{band.colour}" stroke="#000" stroke-width="1"'
    if band.shape == "circle":
        return f'<circle cx="{x}" cy="{y}" r="{size - 0.5}" {fill}/>'
    if band.shape == "diamond":
        points = [(x, y - size - 1), (x + size + 1, y), (x, y + size + 1), (x - size - 1, y)]
    else:  # triangle, pointing down for the low band
        points = [(x - size, y - size + 1), (x + size, y - size + 1), (x, y + size)]
    return f'<polygon points="{" ".join(f"{px:g},{py:g}" for px, py in points)}" {fill}/>'


def _marker_svg(band: Band) -> str:
    shape = _marker(band, 8, 8, 6)
    return f'<svg class="marker" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{shape}</svg>'


# --- one source --------------------------------------------------------------------------------------------


def _source_section(rank: int, source: Mapping[str, Any], docs: list[Mapping[str, Any]], corpus: _Corpus) -> str:
    score, band = source.get("score"), band_of(source.get("score"))
    name = str(source["source"])
    interval = source.get("interval")
    summary = "no scored document" if score is None else f"score {score:.3f}"
    if interval:
        summary += f", {INTERVAL:.0%} interval {interval[0]:.2f}–{interval[1]:.2f}"
    statuses = ", ".join(f"{n} {status}" for status, n in (source.get("statuses") or {}).items())
    rating = _rating_text(source.get("known_rating"))
    rating_line = f" · public rating {escape(rating)}" if rating else ""
    shown = docs[:DOCUMENTS_SHOWN]
    more = len(docs) - len(shown)
    more_line = f'<p class="note">… and {more} more documents, not shown.</p>' if more > 0 else ""
    band_name = band.name if band else "none"
    return f"""<section class="source band-{band_name}" id="s{rank}" data-band="{band_name}" \
data-name="{escape(name.lower())}" aria-labelledby="s{rank}-title">
<h2 id="s{rank}-title"><span class="rank">{rank}</span> {escape(name)} {_band_label(band)}</h2>
<p class="summary">{escape(summary)} · {source.get("documents", 0)} documents ({escape(statuses)}){rating_line}</p>
<div class="columns">
<div>
<h3>Signals against the corpus median</h3>
{_signal_table(source, corpus)}
</div>
<div>
<h3>Why this score</h3>
{_reason_list(source.get("reasons") or [])}
<h3>Boilerplate removed</h3>
{_removed_kinds(source.get("removed") or {})}
</div>
</div>
<h3>Documents</h3>
{_documents_table(rank, shown)}
{more_line}
{"".join(_document_view(f"d{rank}-{n}", doc, corpus) for n, doc in enumerate(shown, start=1))}
</section>"""


def _signal_table(source: Mapping[str, Any], corpus: _Corpus) -> str:
    values = source.get("signals") or {}
    if not values:
        return '<p class="note">No scored document.</p>'
    rows = []
    for name in corpus.catalogue:
        value, middle = float(values.get(name, 0.0)), corpus.median[name]
        direction = corpus.direction(name)
        signal = corpus.catalogue[name]
        quiet = ' class="quiet"' if value == 0 and middle == 0 else ""
        rows.append(
            f'<tr{quiet}><th scope="row" title="{escape(signal.description)}. {escape(signal.why)}">{escape(name)}</th>'
            f'<td class="{direction}" data-v="{direction}">{_direction_symbol(direction)}</td>'
            f'<td data-v="{value}">{_bar_svg(name, value, middle, corpus)}</td>'
            f'<td data-v="{value}">{escape(corpus.describe(name, value))}</td>'
            f'<td data-v="{middle}">{escape(corpus.describe(name, middle))}</td></tr>'
        )
    return f"""<table class="sortable signals">
<thead><tr>{_th("signal")}{_th("+/−")}<th scope="col">against the median</th>{_th("value", "num")}\
{_th("corpus median", "num")}</tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
<p class="note">Bar: this source's mean; black tick: the median document of the whole input; a full bar is the
largest value seen. + sound practice, − unsound practice, · neutral. Hover a signal for what it measures.</p>"""


def _direction_symbol(direction: str) -> str:
    symbol = {"pos": "+", "neg": "−", "neu": "·"}[direction]
    return f'<span title="{DIRECTION_WORDS[direction]}" aria-label="{DIRECTION_WORDS[direction]}">{symbol}</span>'


def _bar_svg(name: str, value: float, middle: float, corpus: _Corpus) -> str:
    largest = max(corpus.largest[name], value, middle)
    length = 0.0 if largest <= 0 else BAR_WIDTH * value / largest
    tick = 0.0 if largest <= 0 else BAR_WIDTH * middle / largest
    label = f"{name}: {corpus.describe(name, value)}; corpus median {corpus.describe(name, middle)}"
    return (
        f'<svg class="bar" width="{BAR_WIDTH + 4}" height="{BAR_HEIGHT + 4}" viewBox="0 0 {BAR_WIDTH + 4} '
        f'{BAR_HEIGHT + 4}" role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<rect class="track" x="2" y="2" width="{BAR_WIDTH}" height="{BAR_HEIGHT}"/>'
        f'<rect class="fill {corpus.direction(name)}" x="2" y="2" width="{length:.1f}" height="{BAR_HEIGHT}"/>'
        f'<line class="median" x1="{tick + 2:.1f}" x2="{tick + 2:.1f}" y1="0" y2="{BAR_HEIGHT + 4}"/></svg>'
    )


def _reason_list(reasons: list[Mapping[str, Any]]) -> str:
    if not reasons:
        return '<p class="note">No reasons: no scored document.</p>'
    items = []
    for reason in reasons:
        contribution = float(reason.get("contribution", 0.0))
        up = contribution >= 0
        items.append(
            f'<li class="{"pos" if up else "neg"}"><span class="delta">{"▲" if up else "▼"} '
            f"{_signed(contribution)}</span> {escape(str(reason.get('explanation', reason.get('signal', ''))))}</li>"
        )
    return f'<ul class="reasons" aria-label="signed contributions to the score (log-odds)">{"".join(items)}</ul>'


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")


def _removed_kinds(removed: Mapping[str, int]) -> str:
    if not removed:
        return '<p class="note">None.</p>'
    largest = max(removed.values())
    items = "".join(
        f'<li><span class="kind">{escape(label)}</span><span class="count-bar" style="width:{100 * n / largest:.0f}%">'
        f"</span> {n}</li>"
        for label, n in sorted(removed.items(), key=lambda item: (-item[1], item[0]))
    )
    return f'<ul class="kinds">{items}</ul>'


def _documents_table(rank: int, docs: list[Mapping[str, Any]]) -> str:
    rows = []
    for n, doc in enumerate(docs, start=1):
        score = (doc.get("credibility") or {}).get("score")
        band = band_of(score)
        title = doc.get("title") or doc.get("id") or "(untitled)"
        rows.append(
            f'<tr><td data-v="{n}">{n}</td>'
            f'<td data-v="{escape(str(title))}"><a href="#d{rank}-{n}">{escape(str(title))}</a></td>'
            f'<td data-v="{escape(str(doc.get("id")))}"><code>{escape(str(doc.get("id")))}</code></td>'
            f'<td data-v="{"" if score is None else score}">{"—" if score is None else f"{score:.3f}"}</td>'
            f'<td data-v="{_band_order(band)}">{_band_label(band)}</td>'
            f'<td data-v="{doc.get("word_count", 0)}">{doc.get("word_count", 0)}</td>'
            f'<td data-v="{len(doc.get("removed") or [])}">{len(doc.get("removed") or [])}</td>'
            f'<td data-v="{escape(str(doc.get("status")))}">{escape(str(doc.get("status")))}</td></tr>'
        )
    return f"""<table class="sortable documents">
<thead><tr>{_th("#", "num")}{_th("title")}{_th("id")}{_th("score", "num")}{_th("band", "num")}{_th("words", "num")}\
{_th("removed", "num")}{_th("status")}</tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>"""


# --- one document ------------------------------------------------------------------------------------------


def _document_view(anchor: str, doc: Mapping[str, Any], corpus: _Corpus) -> str:
    credibility = doc.get("credibility") or {}
    score = credibility.get("score")
    band = band_of(score)
    title = doc.get("title")
    heading = str(title or doc.get("id") or "(untitled)")
    signals = doc.get("signals") or {}
    score_text = "no score" if score is None else f"score {score:.3f}"
    return f"""<section class="doc" id="{anchor}" aria-labelledby="{anchor}-title">
<h4 id="{anchor}-title"><button type="button" class="fold" aria-expanded="true" aria-controls="{anchor}-c">\
{escape(heading)}</button> {_band_label(band)} <small>{escape(score_text)}</small></h4>
<div class="content" id="{anchor}-c">
{_document_facts(doc)}
<div class="doc-grid">
<article>
<h5 class="doc-title">{_highlight(title or "", _spans(signals, "title"), corpus) if title else "(no title)"}</h5>
{_document_body(doc, corpus)}
</article>
<aside>
{_legend(signals, corpus)}
<h5>Why this score</h5>
{_reason_list(credibility.get("reasons") or [])}
</aside>
</div>
</div>
</section>"""


def _document_facts(doc: Mapping[str, Any]) -> str:
    facts = [("id", doc.get("id")), ("url", doc.get("url")), ("status", doc.get("status"))]
    facts += [("error", doc.get("error")), ("filtered because", "; ".join(doc.get("filter_reasons") or []) or None)]
    facts += [("author", doc.get("author")), ("date", doc.get("date")), ("site", doc.get("site_name"))]
    facts += [("language", doc.get("language")), ("words", doc.get("word_count"))]
    items = "".join(
        f"<div><dt>{escape(key)}</dt><dd>{escape(str(value))}</dd></div>" for key, value in facts if value is not None
    )
    return f'<dl class="facts">{items}</dl>'


def _legend(signals: Mapping[str, Any], corpus: _Corpus) -> str:
    """One entry per signal with evidence in this document: its highlight, its count, a switch to hide it."""
    entries = []
    for name, signal in signals.items():
        evidence = signal.get("evidence") or []
        if not evidence:
            continue
        direction = corpus.direction(name)
        where = sorted({e.get("in") for e in evidence} - {"text", "title"})
        shown = "" if len(evidence) >= signal.get("count", 0) else f" ({len(evidence)} shown)"
        notes = []
        if "meta" in where:
            notes.append("metadata: " + ", ".join(str(e.get("snippet")) for e in evidence if e.get("in") == "meta"))
        if "removed" in where:
            notes.append("on removed boilerplate")
        note = f' <span class="where">{escape("; ".join(notes))}</span>' if notes else ""
        describe = corpus.catalogue[name].description if name in corpus.catalogue else name
        entries.append(
            f'<li><label title="{escape(describe)}">'
            f'<input type="checkbox" class="js-only" data-signal="{escape(name)}" checked> '
            f'<mark class="{direction}">{escape(name)}</mark> {signal.get("count", 0)}{shown}</label>{note}</li>'
        )
    removed = (
        '<li><label><input type="checkbox" class="js-only" data-removed checked> '
        '<span class="removed-sample">removed boilerplate</span></label></li>'
    )
    kinds = "".join(f'<li class="key"><mark class="{c}">{w}</mark></li>' for c, w in DIRECTION_WORDS.items())
    return f"""<div class="legend">
<p class="legend-title">Evidence highlighted (hover a highlight to see its signal):</p>
<ul class="signal-keys">{"".join(entries) or "<li>no evidence in this document</li>"}{removed}</ul>
<ul class="direction-keys" aria-label="highlight styles">{kinds}</ul>
</div>"""


def _spans(signals: Mapping[str, Any], where: str) -> list[tuple[int, int, str]]:
    return [
        (int(e["span"][0]), int(e["span"][1]), name)
        for name, signal in signals.items()
        for e in signal.get("evidence") or []
        if e.get("in") == where and e.get("span")
    ]


def _document_body(doc: Mapping[str, Any], corpus: _Corpus) -> str:
    """The clean text paragraph by paragraph, evidence marked, each removed segment struck through at `at`."""
    text = str(doc.get("text") or "")
    signals = doc.get("signals") or {}
    spans = _spans(signals, "text")
    flagged = _removed_evidence(signals, doc.get("removed") or [])
    removed = sorted(doc.get("removed") or [], key=lambda r: (r.get("at", len(text)), r.get("segment", 0)))
    parts, cursor = [], 0
    for start, end in _paragraphs(text):
        while cursor < len(removed) and removed[cursor].get("at", len(text)) <= start:
            parts.append(_removed_block(removed[cursor], flagged, corpus))
            cursor += 1
        inside = [(max(s, start), min(e, end), n) for s, e, n in spans if s < end and e > start]
        parts.append(f"<p>{_highlight(text[start:end], [(s - start, e - start, n) for s, e, n in inside], corpus)}</p>")
    parts.extend(_removed_block(item, flagged, corpus) for item in removed[cursor:])
    return f'<div class="body">{"".join(parts) or "<p class=note>No clean text.</p>"}</div>'


def _paragraphs(text: str) -> list[tuple[int, int]]:
    if not text:
        return []
    bounds, start = [], 0
    for part in text.split("\n\n"):
        bounds.append((start, start + len(part)))
        start += len(part) + 2
    return bounds


def _removed_evidence(signals: Mapping[str, Any], removed: list[Mapping[str, Any]]) -> dict[int, list[str]]:
    """Removed segments that are evidence of a signal (a promotion, a donation appeal …). The evidence names the
    first segment of a run; the rest of the run, consecutive segments with the same label, belongs to it too."""
    flagged: dict[int, list[str]] = defaultdict(list)
    for name, signal in signals.items():
        for evidence in signal.get("evidence") or []:
            if evidence.get("in") == "removed" and evidence.get("segment") is not None:
                flagged[int(evidence["segment"])].append(name)
    ordered = sorted(removed, key=lambda r: r.get("segment", -1))
    for previous, item in zip(ordered, ordered[1:], strict=False):
        run = item.get("segment") == previous.get("segment", -2) + 1 and item.get("label") == previous.get("label")
        if run and previous.get("segment") in flagged and item.get("segment") not in flagged:
            flagged[int(item["segment"])] = list(flagged[int(previous["segment"])])
    return flagged


def _removed_block(item: Mapping[str, Any], flagged: Mapping[int, list[str]], corpus: _Corpus) -> str:
    label, reason, score = str(item.get("label")), str(item.get("reason")), float(item.get("score", 1.0))
    certainty = "" if score >= 1 else f" · p {score:.2f}"
    names = flagged.get(int(item.get("segment", -1)), [])
    evidence = f" · evidence of {', '.join(names)}" if names else ""
    where = f"line {item['line']}" if item.get("line") is not None else f"segment {item.get('segment')}"
    tag = f"{label} · {reason}{certainty}"
    hover = f"removed as {label} by {reason}{certainty} ({where}){evidence}"
    signal_attrs = (
        f' data-s="{escape(" ".join(names))}" data-d="{" ".join(corpus.direction(n) for n in names)}"' if names else ""
    )
    return (
        f'<div class="removed" title="{escape(hover)}"{signal_attrs}><span class="tag">{escape(tag)}</span> '
        f"<del>{escape(str(item.get('text', '')))}</del></div>"
    )


def _highlight(text: str, spans: list[tuple[int, int, str]], corpus: _Corpus) -> str:
    """The text with each run of characters covered by evidence wrapped in one <mark> naming its signals."""
    cuts = sorted({0, len(text), *(max(0, min(len(text), p)) for s, e, _ in spans for p in (s, e))})
    order = {name: i for i, name in enumerate(corpus.catalogue)}
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        piece = escape(text[a:b])
        names = sorted({n for s, e, n in spans if s <= a and e >= b}, key=lambda n: (order.get(n, len(order)), n))
        if not names:
            out.append(piece)
            continue
        directions = [corpus.direction(n) for n in names]
        hover = "; ".join(f"{n}: {corpus.catalogue[n].description}" if n in corpus.catalogue else n for n in names)
        out.append(
            f'<mark class="{directions[0]}" data-s="{escape(" ".join(names))}" data-d="{" ".join(directions)}" '
            f'title="{escape(hover)}">{piece}</mark>'
        )
    return "".join(out)

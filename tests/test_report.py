"""The HTML audit report (`cleanse score --report`): self-contained, ranked, and faithful to the evidence."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest
from conftest import SEEDS
from test_contract import SHARE_BAR_ARTICLE

from cleanse.bands import BANDS, band_of
from cleanse.io import read_inputs
from cleanse.report import render_report
from cleanse.sources import aggregate

#: Attributes through which a page can load or link something.
REFERENCES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background", "ping"}
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
HOSTILE = {
    "id": "hostile",
    "source": "Hostile <b>Wire</b>",
    "url": "https://tracker.example.com/story?id=1",
    "title": 'A "title" with <script src="https://evil.example/x.js"></script>',
    "text": (
        "The council said on Tuesday that the harbour would be rebuilt, according to the mayor.\n\n"
        '<img src="https://evil.example/pixel.gif"> See https://evil.example/more and //cdn.example/lib.js '
        "for the plan, the harbour master told reporters on Monday."
    ),
}


@pytest.fixture(scope="module")
def seed_records(cleaner):
    return [cleaner(record) for record in read_inputs([str(SEEDS)])]


def report_of(records, cleaner, **extra):
    sources = [dict(r.to_dict(), **extra.get(r.source, {})) for r in aggregate(records, cleaner.ruleset.signals)]
    return render_report(sources, records, cleaner.ruleset.signals)


class Elements(HTMLParser):
    """Every element's attributes, the text inside <style> and <script>, and the visible text."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []
        self.embedded: list[str] = []
        self.tags: list[str] = []
        self._inside: str | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        self._inside = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag):
        self._inside = None

    def handle_data(self, data):
        if self._inside:
            self.embedded.append(data)


class DocumentView(HTMLParser):
    """One document view as the report shows it: its paragraphs with the signals marked on each piece of text,
    and its removed blocks with how many paragraphs came before them."""

    def __init__(self, page: str, anchor: str):
        super().__init__(convert_charrefs=True)
        self.anchor = anchor
        self.stack: list[tuple[str, dict]] = []
        self.paragraphs: list[list[tuple[str, set[str]]]] = []
        self.removed: list[dict] = []
        self.feed(page)

    def _classes(self, attrs: dict) -> set[str]:
        return set((attrs.get("class") or "").split())

    def _within(self, test) -> bool:
        return any(test(tag, attrs) for tag, attrs in self.stack)

    def _in_body(self) -> bool:
        return self._within(lambda t, a: a.get("id") == self.anchor) and self._within(
            lambda t, a: t == "div" and "body" in self._classes(a)
        )

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self.stack.append((tag, attrs))
        if not self._in_body():
            return
        if tag == "div" and "removed" in self._classes(attrs):
            self.removed.append({"before": len(self.paragraphs), "tag": "", "text": "", "struck": False})
        elif tag == "p" and not self._within(lambda t, a: "removed" in self._classes(a)):
            self.paragraphs.append([])

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._in_body():
            return
        if self._within(lambda t, a: "removed" in self._classes(a)):
            if self.stack[-1][0] == "del":
                self.removed[-1].update(text=self.removed[-1]["text"] + data, struck=True)
            elif "tag" in self._classes(self.stack[-1][1]):
                self.removed[-1]["tag"] += data
        elif self.paragraphs and self._within(lambda t, a: t == "p"):
            marks = [a for t, a in self.stack if t == "mark"]
            self.paragraphs[-1].append((data, set(marks[-1]["data-s"].split()) if marks else set()))

    def text_and_signals(self) -> tuple[str, list[set[str]]]:
        text, signals = [], []
        for number, paragraph in enumerate(self.paragraphs):
            if number:
                text.append("\n\n")
                signals += [set(), set()]
            for piece, names in paragraph:
                text.append(piece)
                signals += [names] * len(piece)
        return "".join(text), signals


def anchor_of(page: str, record_id: str) -> str:
    match = re.search(
        r'href="#(d\d+-\d+)">[^<]*</a></td><td data-v="[^"]*"><code>' + re.escape(escape(record_id)), page
    )
    assert match, f"no document view for {record_id}"
    return match.group(1)


def test_bands_split_the_score_range_once_at_035_and_060():
    assert [b.name for b in BANDS] == ["low", "mixed", "high"]
    assert [band_of(s).name for s in (0.0, 0.3499, 0.35, 0.5999, 0.6, 1.0)] == [
        "low",
        "low",
        "mixed",
        "mixed",
        "high",
        "high",
    ]
    assert band_of(None) is None
    assert len({b.colour for b in BANDS}) == len({b.shape for b in BANDS}) == 3  # colour is never the only cue


def test_the_report_references_nothing_outside_the_file_even_when_documents_quote_urls(cleaner, seed_records):
    records = [*seed_records, cleaner(HOSTILE)]
    page = report_of(records, cleaner)
    elements = Elements(page)
    references = [(tag, name, value) for tag, name, value in elements.attributes if name in REFERENCES]
    assert references and all(name == "href" and value.startswith("#") for _, name, value in references)
    styles = [value for _, name, value in elements.attributes if name == "style"]
    assert styles and not any("url(" in value or "://" in value for value in styles)
    embedded = "\n".join(elements.embedded)
    for needle in ("://", "url(", "@import", "fetch(", "XMLHttpRequest", "import("):
        assert needle not in embedded
    assert elements.tags.count("script") == 1 and "img" not in elements.tags  # the document's markup is text
    assert escape("https://tracker.example.com/story?id=1") in page  # shown to the reader, not linked
    assert "Hostile &lt;b&gt;Wire&lt;/b&gt;" in page


def test_the_overview_ranks_sources_with_band_interval_documents_and_rating(cleaner, seed_records):
    reports = aggregate(seed_records, cleaner.ruleset.signals)
    page = report_of(seed_records, cleaner, **{"Cryptopolitan": {"known_rating": 0.41}})
    overview = page[page.index('id="overview"') : page.index('class="source ')]
    rows = re.findall(r'<tr class="band-(\w+)" data-band="\w+" data-name="([^"]*)">(.*?)</tr>', overview)
    assert [name for _, name, _ in rows] == [escape(r.source.lower()) for r in reports]
    for (band, _, row), report in zip(rows, reports, strict=True):
        assert band == band_of(report.score).name
        shown = report.to_dict()  # the report renders the rounded record, as a user's JSON would carry it
        assert f"{shown['score']:.3f} <small>{shown['interval'][0]:.2f}–{shown['interval'][1]:.2f}</small>" in row
        assert f'<td data-v="{report.documents}">{report.documents}</td>' in row
        assert '<svg class="interval"' in row and "<title>" in row
    ratings = [re.findall(r"<td data-v=\"([^\"]*)\">[^<]*</td><td data-v=\"\d+\">[^<]*</td>$", row) for *_, row in rows]
    assert [r[0] for r in ratings] == ["0.41" if rep.source == "Cryptopolitan" else "" for rep in reports]


def test_each_source_section_has_signals_against_the_median_reasons_and_boilerplate_by_kind(cleaner, seed_records):
    page = report_of(seed_records, cleaner)
    lowest = aggregate(seed_records, cleaner.ruleset.signals)[-1]
    section = page[page.index('<section class="source band-low" id="s5"') :]
    assert escape(lowest.source) in section[:400]
    signal_rows = re.findall(r'<tr(?: class="quiet")?><th scope="row"[^>]*>(\w+)</th>', section)
    assert signal_rows == list(cleaner.ruleset.signals)
    assert section.count('class="median"') == len(cleaner.ruleset.signals)
    for reason in lowest.reasons:
        assert escape(reason["explanation"]) in section
    assert '<span class="kind">share</span>' in section and '<span class="kind">donation</span>' in section
    assert "▼ −1.00" in section  # signed, with a symbol besides the colour


def test_a_document_view_marks_every_evidence_span_with_its_signal(cleaner, seed_records):
    page = report_of(seed_records, cleaner)
    for record in seed_records:
        view = DocumentView(page, anchor_of(page, record["id"]))
        text, marked = view.text_and_signals()
        assert text == record["text"], record["id"]
        spans = 0
        for name, signal in record["signals"].items():
            for evidence in signal["evidence"]:
                if evidence["in"] == "text":
                    start, end = evidence["span"]
                    assert all(name in marked[i] for i in range(start, end)), (record["id"], name, evidence)
                    spans += 1
        assert spans and sum(bool(m) for m in marked) > 0


def test_removed_boilerplate_is_struck_through_in_place_with_its_label_and_rule(cleaner, seed_records):
    out = cleaner(dict(id="share-bar", source="Harbour News", text=SHARE_BAR_ARTICLE))
    page = report_of([*seed_records, out], cleaner)
    view = DocumentView(page, anchor_of(page, "share-bar"))
    assert [(r["before"], r["tag"], r["text"], r["struck"]) for r in view.removed] == [
        (2, "share · share.network-list", "Mastodon", True),
        (2, "share · share.network-list", "Parler", True),
        (2, "share · share.network-list", "Gab", True),
    ]  # between the second and the third paragraph, where the share bar stood
    banner = next(r for r in seed_records if r["source"].startswith("unnamed site with a StopBitBurning"))
    view = DocumentView(page, anchor_of(page, banner["id"]))
    assert view.removed[0]["before"] == 0 and view.removed[0]["tag"] == "donation · donation.appeal"
    assert view.removed[-1]["before"] == len(view.paragraphs)  # the closing share bar after the last paragraph


def test_score_report_option_writes_the_page_and_still_prints_the_table(seed_report):
    page = seed_report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<section class="source ') == 5
    assert page.count('<section class="doc"') == 5


def test_a_source_of_broken_records_is_listed_without_a_score(cleaner):
    records = [cleaner({"id": "ok", "text": SHARE_BAR_ARTICLE}), cleaner({"id": "bad", "source": "Broken", "text": 5})]
    page = report_of(records, cleaner)
    assert '<tr class="band-none" data-band="none" data-name="broken">' in page
    view = page[page.index('data-name="broken" aria-labelledby') :]
    assert "field &#x27;text&#x27; must be a string, not int" in view and "No clean text." in view


def test_score_report_into_a_missing_folder_fails_before_any_work(tmp_path):
    from typer.testing import CliRunner

    from cleanse.cli import app

    result = CliRunner().invoke(app, ["score", str(SEEDS), "--report", str(tmp_path / "no" / "report.html")])
    assert result.exit_code == 1 and "cannot write the report: no folder" in result.stderr
    assert result.stdout == ""

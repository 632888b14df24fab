"""A page's metadata: every field cleanse keeps is what trafilatura's `extract_metadata` finds, and the fields
cleanse never reads (categories, tags, licence) are not looked for."""

from __future__ import annotations

import gzip

import pytest
import trafilatura.metadata as metadata_module
import trafilatura.xpaths as xpaths_module
from conftest import FIXTURES
from lxml.etree import XPath
from trafilatura import load_html
from trafilatura.metadata import extract_metadata

import cleanse.page_metadata as page_metadata_module
from cleanse.page_metadata import page_metadata

KEPT = ("title", "author", "url", "date", "sitename", "description")
BODY = "<body><article><p>The council voted on Tuesday to extend the tram line by four stops.</p></article></body>"
PAGES = {
    "meta tags, a one-word author, a lower-case site name": f"""<html><head><title>Tram line extended | city</title>
        <meta name="author" content="Mayor"><meta property="og:site_name" content="citypaper">
        <meta name="twitter:title" content="Trams &amp;amp; buses\x07">
        <meta name="description" content="Four new stops."><meta property="article:published_time"
        content="2024-03-05"><link rel="canonical" href="https://citypaper.example/tram"></head>{BODY}</html>""",
    "JSON-LD with a Twitter handle for the site": """<html><head><title>Tram</title>
        <meta name="twitter:site" content="@citypaper"><script type="application/ld+json">{"@type": "NewsArticle",
        "headline": "Tram line extended", "author": {"@type": "Person", "name": "Ada Byron"},
        "datePublished": "2023-11-02"}</script></head>"""
    + BODY
    + "</html>",
    "broken JSON-LD, the date in the URL": f"""<html><head><title>Tram line extended</title>
        <script type="application/ld+json">{{"@type": "NewsArticle", "headline": </script></head>{BODY}</html>""",
    "no metadata at all": f"<html>{BODY}</html>",
    "a byline in the page, categories, tags and a licence": """<html><head><title>Tram line extended - City Paper
        </title></head><body><article><p class="byline">By Ada Byron and Alan Turing</p>
        <p>The council voted on Tuesday to extend the tram line by four stops.</p>
        <div class="entry-meta"><a href="https://citypaper.example/category/transport/">Transport</a></div>
        <div class="tags"><a href="https://citypaper.example/tags/trams/">Trams</a></div></article>
        <footer><a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA</a></footer>
        </body></html>""",
    "escaped entities, a control character": """<html><head><title>Trams &amp;amp; buses\x07 | City</title>
        <meta property="og:site_name" content="Camels &amp;amp; Chocolate"></head>"""
    + BODY
    + "</html>",
    "a byline class written as character references": """<html><head><title>Tram</title></head><body><article>
        <p class="&#98;y&#x6C;ine">By Ada Byron and Alan Turing</p>
        <p>The council voted on Tuesday to extend the tram line by four stops.</p></article></body></html>""",
    "an author element": """<html><head><title>Tram</title></head><body><article><AUTHOR>Ada Byron</AUTHOR>
        <p>The council voted on Tuesday to extend the tram line by four stops.</p></article></body></html>""",
    "an AEB page": gzip.decompress((FIXTURES / "aeb-nytimes-letters.html.gz").read_bytes()).decode("utf-8"),
    "an advocacy page": (FIXTURES / "advocacy-page.html").read_text(encoding="utf-8"),
}
URLS = (None, "https://www.citypaper.example/2022/06/14/tram-line.html")


@pytest.mark.parametrize("url", URLS, ids=("without a URL", "with a URL"))
@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_every_kept_field_is_what_trafilaturas_metadata_extraction_finds(page, url):
    ours, theirs = page_metadata(load_html(page), url, page), extract_metadata(load_html(page), url)
    assert {field: getattr(ours, field) for field in KEPT} == {field: getattr(theirs, field) for field in KEPT}


def test_a_page_without_author_marks_is_not_searched_for_an_author(monkeypatch):
    searched = []
    monkeypatch.setattr(metadata_module, "extract_author", lambda tree: searched.append(tree))
    page_metadata(load_html(PAGES["no metadata at all"]), None, PAGES["no metadata at all"])
    assert searched == []
    page = PAGES["a byline in the page, categories, tags and a licence"]
    page_metadata(load_html(page), None, page)
    assert len(searched) == 1


def test_the_page_is_searched_when_trafilaturas_author_expressions_are_not_those_the_marks_were_read_from(
    monkeypatch,
):
    searched = []
    monkeypatch.setattr(metadata_module, "extract_author", lambda tree: searched.append(tree))
    monkeypatch.setattr(xpaths_module, "AUTHOR_XPATHS", [XPath("//*[@class='credit']")])
    page_metadata_module._author_xpaths_known.cache_clear()
    try:
        page_metadata(load_html(PAGES["no metadata at all"]), None, PAGES["no metadata at all"])
    finally:
        monkeypatch.undo()
        page_metadata_module._author_xpaths_known.cache_clear()
    assert len(searched) == 1


def test_categories_tags_and_licence_are_not_looked_for():
    page = PAGES["a byline in the page, categories, tags and a licence"]
    theirs = extract_metadata(load_html(page), URLS[1])
    assert theirs.categories and theirs.tags and theirs.license  # the page has them
    ours = page_metadata(load_html(page), URLS[1])
    assert not ours.categories and not ours.tags and not ours.license

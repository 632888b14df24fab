"""HTML extraction: what cleanse takes from trafilatura's tree of the article."""

from __future__ import annotations

import logging

from cleanse.extract import extract_html

PROSE = (
    "<p>The council voted on Tuesday to extend the tram line by four stops, after a year of consultation with "
    "residents who had asked for a direct link to the hospital and the new school.</p>"
)
PAGE = f"""<html><head><title>Tram line extended</title></head><body><article>
<h1>Tram line extended</h1>{PROSE * 3}
<p>Read the <a href="/2011/03/04/budget.html">budget report</a> for the figures the council used.</p>
<ul><li><a href="https://example.org/2009/01/02/older-story">An older story about the trams</a></li></ul>
</article></body></html>"""


def test_link_text_is_measured_without_reading_where_links_go(caplog):
    with caplog.at_level(logging.WARNING):
        segments = extract_html(PAGE, "https://news.example.com/tram").segments
    shares = {s.text: s.links for s in segments}
    sentence = "Read the budget report for the figures the council used."
    assert shares[sentence] == len("budget report") / len(sentence)
    assert all(share == 0 for text, share in shares.items() if text.startswith("The council voted"))
    assert not caplog.records  # trafilatura warns of links without a target: every link keeps one


def test_a_date_in_another_articles_link_is_not_the_pages_date():
    assert extract_html(PAGE, "https://news.example.com/tram").date is None

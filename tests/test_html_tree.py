"""A page's tree: cleanse parses a page into the tree trafilatura's `load_html` makes of it, element for element
and class for class, without asking lxml.html's Python lookup for the class of each element."""

from __future__ import annotations

import gzip

import lxml.html
import pytest
from conftest import FIXTURES
from lxml import etree
from trafilatura import bare_extraction, load_html

from cleanse.html_tree import load_page

AEB_PAGE = gzip.decompress((FIXTURES / "aeb-nytimes-letters.html.gz").read_bytes())
FORM = """<html><body><FORM action="/s"><LABEL>Search</LABEL><input name="q"><select><option>All</option></select>
    <textarea>Notes</textarea></FORM><fb:like></fb:like><svg xmlns="http://www.w3.org/2000/svg"><path d="M0"/></svg>
    <p>Caf&eacute; &amp; bar<!-- a comment --><?php echo 1; ?></p></body></html>"""
PAGES = {
    "an AEB page as bytes": AEB_PAGE,
    "an AEB page as text": AEB_PAGE.decode("utf-8"),
    "an AEB page gzip-compressed": gzip.compress(AEB_PAGE),
    "an advocacy page": (FIXTURES / "advocacy-page.html").read_text(encoding="utf-8"),
    "form elements, upper-case tags, prefixed and namespaced elements, a comment, a PI": FORM,
    "text declaring its encoding": '<?xml version="1.0" encoding="utf-8"?><html><body><p>Tram</p></body></html>',
    "bytes in windows-1252": '<html><head><meta charset="windows-1252"></head><body><p>Café – “quoted”</p></body>'
    "</html>".encode("cp1252"),
    "a faulty doctype": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">\n<html><body><p>x</p></body></html>',
    "a self-closing html tag": '<html lang="en"/>\n<body><p>Tram line</p><p>extended</p></body>',
    "characters XML cannot hold": "<html><body><p>Tram\x0b line\x07</p></body></html>",
    "plain text": "The council voted on Tuesday to extend the tram line.",
    "a fragment": "<p>The council voted on Tuesday.</p>",
    "a fragment of two elements": "<p>The council voted.</p><p>On Tuesday.</p>",
    "nothing": "",
    "spaces": "   \n ",
}


def _shape(tree) -> tuple | None:
    if tree is None:
        return None
    return etree.tostring(tree, encoding="unicode"), [type(node) for node in tree.iter()]


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_a_page_parses_into_trafilaturas_tree_with_the_same_element_classes(page):
    tree, _ = load_page(page)
    assert _shape(tree) == _shape(load_html(page))


def test_the_form_elements_keep_lxml_htmls_classes():
    tree, _ = load_page(FORM)
    classes = {node.tag: type(node) for node in tree.iter() if isinstance(node.tag, str)}
    assert classes["form"] is lxml.html.FormElement
    assert classes["input"] is lxml.html.InputElement
    assert classes["label"] is lxml.html.LabelElement
    assert classes["p"] is lxml.html.HtmlElement


def test_the_text_returned_is_what_was_parsed():
    tree, text = load_page(PAGES["bytes in windows-1252"])
    assert "Café – “quoted”" in text
    assert tree.findtext(".//p") == "Café – “quoted”"
    assert "\x0b" not in load_page(PAGES["characters XML cannot hold"])[1]


def test_no_element_class_is_asked_of_lxml_htmls_python_lookup(monkeypatch):
    def refuse(*args):
        raise AssertionError("lxml.html's Python class lookup was called")

    monkeypatch.setattr(lxml.html.HtmlElementClassLookup, "lookup", refuse)
    tree, _ = load_page(AEB_PAGE)
    assert len(list(tree.iter())) > 100


def test_trafilatura_extracts_the_same_article_from_either_tree():
    ours = bare_extraction(load_page(AEB_PAGE)[0], include_comments=False, with_metadata=True)
    theirs = bare_extraction(load_html(AEB_PAGE), include_comments=False, with_metadata=True)
    assert ours.text == theirs.text and len(ours.text) > 1000
    assert (ours.title, ours.author, ours.date) == (theirs.title, theirs.author, theirs.date)

"""A page parsed as trafilatura's `load_html` parses it, by a parser that finds its element classes in C.

trafilatura's parser is lxml.html's, which asks a Python method (`HtmlElementClassLookup.lookup`) for the
class of every element Python code reaches, each time lxml makes an object for it: thousands of calls a
page as trafilatura walks and copies the tree (0.7 ms of a page's 19 ms of extraction on the AEB pages, in a
side-by-side run). Here a copy of trafilatura's parser gets the same classes (lxml.html's elements, its form
elements, comments, processing instructions, entities) from lxml's own lookups, written in C; a tree keeps
its parser's lookup through trafilatura's copies of it. The steps around the parse are trafilatura's, in its
order; `tests/test_html_tree.py` holds the tree and every element's class to `load_html`'s.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

LOGGER = logging.getLogger(__name__)


@cache
def _parser() -> Any:
    """trafilatura's parser (its options: no comments, no processing instructions, no ids collected), with
    lxml.html's element classes looked up by name in C rather than by a Python method."""
    from lxml import etree
    from lxml.html import HtmlComment, HtmlElement, HtmlElementClassLookup, HtmlEntity, HtmlProcessingInstruction
    from trafilatura.utils import HTML_PARSER

    by_kind = etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
    lookup = etree.ElementNamespaceClassLookup(by_kind)
    lookup.get_namespace(None).update(HtmlElementClassLookup()._element_classes)  # form, input, label, ...
    parser = HTML_PARSER.copy()
    parser.set_element_class_lookup(lookup)
    return parser


def load_page(html: str | bytes) -> tuple[Any, str]:
    """(the page's lxml tree, or None where trafilatura's `load_html` gives None; the text it was parsed
    from): bytes decoded by trafilatura's guess, characters XML cannot hold and a faulty doctype removed, a
    text that does not look like HTML refused unless it parses into more than one element."""
    from lxml.html import fromstring
    from trafilatura.utils import decode_file, is_dubious_html, repair_faulty_html

    text = decode_file(html)
    beginning = text[:50].lower()
    text = repair_faulty_html(text, beginning)
    tree, from_bytes = None, False
    try:
        tree = fromstring(text, parser=_parser())
    except ValueError:  # a text that declares its encoding is parsed as bytes
        tree, from_bytes = _parse_bytes(text), True
    except Exception as error:  # noqa: BLE001 -- as trafilatura: an unparsable page has no tree
        LOGGER.warning("lxml parsing failed: %s", error)
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _parse_bytes(text)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        tree = None
    return tree, text


def _parse_bytes(text: str) -> Any:
    from lxml.html import fromstring

    try:
        return fromstring(text.encode("utf-8", "surrogatepass"), parser=_parser())
    except Exception as error:  # noqa: BLE001 -- as trafilatura
        LOGGER.warning("lxml parsing of the page as bytes failed: %s", error)
    return None

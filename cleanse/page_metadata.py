"""A page's metadata as trafilatura's `extract_metadata` finds it, for the fields cleanse keeps.

trafilatura looks for a page's categories, tags and licence after the fields cleanse keeps (title, author, URL,
date, site name, description); cleanse never reads them, and finding them walks the tree with a dozen XPath
expressions: about a ninth of `bare_extraction`'s time on the AEB pages (in a side-by-side run; with it,
cleanse's whole extraction takes 0.93x trafilatura's call in `benchmarks/speed.py`). Here are
trafilatura's own steps for the other fields, in its order; `tests/test_page_metadata.py` holds every field to
`extract_metadata`'s on the test pages, so a trafilatura release that finds them otherwise is caught.

trafilatura's search for an author in the page itself (`extract_author`, when no meta tag or JSON-LD names one)
copies the tree and evaluates five XPath expressions over every element of it: 5 ms a page where it
runs, on the AEB pages. A page whose text could not hold anything those expressions match is spared it
(`_may_name_author`): 230 of the 1,963 AEB, WCXB and trafilatura-eval pages, 0.84 ms a page over all of them.
"""

from __future__ import annotations

import logging
import re
import zlib
from functools import cache
from typing import Any

LOGGER = logging.getLogger(__name__)

#: What each of trafilatura's author expressions (`trafilatura.xpaths.AUTHOR_XPATHS`) needs to match an element,
#: besides an <author> element or a <rel> child: an attribute value (class, id, rel, itemprop, data-testid,
#: data-component) holding one of these, as its expressions compare values case-sensitively.
_AUTHOR_MARKS = ("uthor", "yline", "byl", "BBL", "username", "channel-name", "zuozhe", "bianji", "xiaobian",
                 "submitted-by", "posted-by", "journalist-name", "screenname", "writer")  # fmt: skip
#: The CRC-32 of the expressions `_AUTHOR_MARKS` was read from; with other expressions the search always runs.
_AUTHOR_XPATHS_CRC = 0x2009F808
#: A numeric character reference to an ASCII letter or a hyphen, by which an attribute value can hold a mark
#: that the page's text does not (a prefix of a longer number counts too: it only makes the check run the search).
_LETTER_REFERENCE = re.compile(
    r"&#(?:[xX]0*(?:2[dD]|[46][1-9a-fA-F]|[57][0-9aA])|0*(?:45|6[5-9]|[7-9]\d|1[01]\d|12[0-2]))"
)


def _date_params() -> dict[str, Any]:
    """htmldate's settings as `bare_extraction` passes them: trafilatura's configuration decides how far the
    date search goes, and the latest date allowed is today's (so not cached: a worker can run for days)."""
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params

    return set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))


def page_metadata(tree: Any, url: str | None, html: str | bytes | None = None) -> Any:
    """trafilatura's Document of `tree`'s metadata (an lxml HTML tree, which is only read) with title, author,
    URL, date, site name and description filled as `extract_metadata` fills them; categories, tags and licence
    are left empty. `html`, the page's text the tree was parsed from, lets a page without author marks skip the
    search for one."""
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
        find_date,
    )

    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as error:  # noqa: BLE001 -- as trafilatura: a page's broken JSON-LD costs only its fields
        LOGGER.warning("error in JSON metadata extraction: %s", error)
    metadata.title = metadata.title or extract_title(tree)
    if not metadata.author and _may_name_author(tree, html):
        metadata.author = extract_author(tree)
    metadata.url = metadata.url or extract_url(tree, url)
    metadata.date = find_date(tree, **_date_params(), url=metadata.url)
    metadata.sitename = metadata.sitename or extract_sitename(tree)
    if metadata.sitename:
        sitename = metadata.sitename.lstrip("@")  # a Twitter handle
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
        metadata.sitename = sitename
    elif metadata.url and (match := META_URL.match(metadata.url)):
        metadata.sitename = match[1]
    metadata.clean_and_trim()  # entities unescaped, control characters dropped, spaces trimmed
    return metadata


def _may_name_author(tree: Any, html: str | bytes | None) -> bool:
    """Whether trafilatura's `extract_author` could find anything in `tree`, parsed from the text `html`: an
    element it matches is an <author> element, one with a <rel> child, or one with an attribute value holding
    an author mark, and an attribute value holds only text of the page but for character references. Unknown
    (True) for bytes, whose decoding trafilatura guesses, and for author expressions other than those read."""
    if not isinstance(html, str) or not _author_xpaths_known():
        return True
    if any(mark in html for mark in _AUTHOR_MARKS) or _LETTER_REFERENCE.search(html):
        return True
    return tree.find(".//author") is not None or tree.find(".//rel") is not None


@cache
def _author_xpaths_known() -> bool:
    """Whether the installed trafilatura's author expressions are those `_AUTHOR_MARKS` was read from."""
    from trafilatura.xpaths import AUTHOR_XPATHS

    return zlib.crc32("\n".join(x.path for x in AUTHOR_XPATHS).encode("utf-8")) == _AUTHOR_XPATHS_CRC

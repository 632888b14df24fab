"""A page's metadata as trafilatura's `extract_metadata` finds it, for the fields cleanse keeps.

trafilatura looks for a page's categories, tags and licence after the fields cleanse keeps (title, author, URL,
date, site name, description); cleanse never reads them, and finding them walks the tree with a dozen XPath
expressions: about a ninth of `bare_extraction`'s time on the AEB pages (in a side-by-side run; with it,
cleanse's whole extraction takes 0.93x trafilatura's call in `benchmarks/speed.py`). Here are
trafilatura's own steps for the other fields, in its order; `tests/test_page_metadata.py` holds every field to
`extract_metadata`'s on the test pages, so a trafilatura release that finds them otherwise is caught.
"""

from __future__ import annotations

import logging
from typing import Any

LOGGER = logging.getLogger(__name__)


def _date_params() -> dict[str, Any]:
    """htmldate's settings as `bare_extraction` passes them: trafilatura's configuration decides how far the
    date search goes, and the latest date allowed is today's (so not cached: a worker can run for days)."""
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params

    return set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))


def page_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's Document of `tree`'s metadata (an lxml HTML tree, which is only read) with title, author,
    URL, date, site name and description filled as `extract_metadata` fills them; categories, tags and licence
    are left empty."""
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
    metadata.author = metadata.author or extract_author(tree)
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

"""Labelled segments for the boilerplate classifier, derived from the extraction benchmarks.

Sources (../shared/data/extraction, see its README for licences):
  - WCXB dev (CC-BY-4.0): 793 article pages, gold main content
  - trafilatura's evaluation set (Apache-2.0 repository): 990 pages, snippets that must / must not be kept
  - AEB (MIT): 181 pages, gold article bodies (used for evaluation only, never for the shipped model)
Each page is turned into segments two ways, as cleanse sees them:
  - "html": trafilatura's article extraction, the segments the HTML path cleans further;
  - "text": the full visible text of the page (html-text, the tool behind AEB's plain-text version), one
    segment per line, nav, share bars and newsletter boxes included.
A segment is labelled body (1) when most of its word 4-grams (or, for a short segment, its whole text) occur
in the gold text, boilerplate (0) when almost none do, and left out when it is in between. For trafilatura's
set, a segment holding a "with" snippet is body, one holding a "without" snippet boilerplate, others unlabelled.
"""

from __future__ import annotations

import gzip
import json
import pickle
import re
import sys
from dataclasses import dataclass, field
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanse.boilerplate import BoilerplateRemover  # noqa: E402
from cleanse.extract import extract_html, extract_text  # noqa: E402
from cleanse.head import recognise_head  # noqa: E402
from cleanse.records import Segment  # noqa: E402
from cleanse.rules import load_rules  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "extraction"
CACHE = ROOT / "training" / ".cache"
BODY_SHARE, BOILERPLATE_SHARE = 0.5, 0.2
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


@dataclass
class Page:
    dataset: str
    id: str
    url: str
    html_path: Path
    gold: str | None = None
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or self.id).lower().removeprefix("www.")


@dataclass
class PageSegments:
    page: Page
    mode: str
    segments: list[Segment]
    title: str | None
    site_name: str | None
    labels: list[int | None]  # None: unlabelled, or already removed by a rule / the head
    variant: str = "page"  # text mode: "page" (all visible text), "article" (trafilatura's), "gold"


def wcxb_pages() -> list[Page]:
    pages = []
    for path in sorted((DATA / "wcxb-dev" / "ground-truth").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        html = DATA / "wcxb-dev" / "html" / f"{path.stem}.html.gz"
        if "url" not in record or not html.exists():
            continue
        truth = record["ground_truth"]
        pages.append(Page("wcxb", path.stem, record["url"], html, truth.get("main_content") or "",
                          truth.get("with") or [], truth.get("without") or []))  # fmt: skip
    return pages


def aeb_pages() -> list[Page]:
    truth = json.loads((DATA / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    return [Page("aeb", key, value["url"], DATA / "aeb" / "html" / f"{key}.html.gz", value["articleBody"])
            for key, value in sorted(truth.items())]  # fmt: skip


def trafilatura_eval_pages() -> list[Page]:
    evaldata = json.loads((DATA / "trafilatura-eval" / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in sorted(evaldata.items()):
        path = DATA / "trafilatura-eval" / "html" / item["file"]
        if not path.exists():
            path = path.with_name(item["file"] + ".gz")
        if path.exists():
            pages.append(Page("trafilatura-eval", item["file"], url, path, None, item.get("with") or [],
                              item.get("without") or []))  # fmt: skip
    return pages


def read_html(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    from cleanse.io import decode

    return decode(data)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}


class Labeller:
    """Labels a segment against a reference text (the gold article, or for pages without one the silver
    article of trafilatura's precision mode), and against the page's must-keep / must-drop snippets."""

    def __init__(self, page: Page, reference: str | None):
        self.reference = reference
        if reference is not None:
            self.shingles = _shingles(_TOKEN.findall(reference))
            self.text = _norm(reference)
            self.lines = {_norm(line) for line in reference.splitlines() if line.strip()}
        self.with_ = [_norm(s) for s in page.with_snippets if _norm(s)]
        self.without = [_norm(s) for s in page.without_snippets if _norm(s)]

    def __call__(self, text: str) -> int | None:
        norm = _norm(text)
        if self.reference is None or self.with_ or self.without:
            if any(s in norm for s in self.with_):
                return 1
            if any(s in norm for s in self.without):
                return 0
            if self.reference is None:
                return None
        tokens = _TOKEN.findall(text)
        if len(tokens) >= 4:
            shingles = _shingles(tokens)
            share = len(shingles & self.shingles) / len(shingles)
            return 1 if share >= BODY_SHARE else (0 if share <= BOILERPLATE_SHARE else None)
        if norm in self.lines:
            return 1
        return 0 if norm not in self.text else None


def silver_article(html: str, url: str) -> str | None:
    """trafilatura's precision-mode article: a teacher for whole-page text where no gold article exists."""
    from trafilatura import extract

    return extract(html, url=url, include_comments=False, favor_precision=True)


def page_segments(page: Page, mode: str, remover: BoilerplateRemover) -> list[PageSegments]:
    """The page as cleanse sees it. In "text" mode, three plain texts of it: the full visible text, the
    article that trafilatura extracts, and (where there is one) the gold article itself, because plain-text
    input ranges from whole-page dumps to clean articles and the model must keep a clean article whole."""
    html = read_html(page.html_path)
    if mode == "html":
        return [_marked(page, mode, extract_html(html, page.url), remover, Labeller(page, page.gold), False)]
    import html_text

    reference = page.gold if page.gold is not None else silver_article(html, page.url)
    texts = {"page": html_text.extract_text(html, guess_layout=True)}
    texts["article"] = "\n\n".join(s.text for s in extract_html(html, page.url).segments)
    if page.gold:
        texts["gold"] = page.gold
    labellers = {
        "page": Labeller(page, reference),
        "article": Labeller(page, page.gold),
        "gold": Labeller(page, page.gold),
    }
    return [_marked(page, mode, extract_text(text), remover, labellers[variant], True, variant)
            for variant, text in texts.items() if text.strip()]  # fmt: skip


def _marked(page: Page, mode: str, extracted, remover: BoilerplateRemover, label: Labeller, plain_text: bool,
            variant: str = "page") -> PageSegments:  # fmt: skip
    title = None if plain_text else extracted.title
    remover.apply(extracted.segments, title)
    head = recognise_head(extracted.segments, title, plain_text=plain_text)
    labels = [label(s.text) if s.role in ("body", "subhead") else None for s in extracted.segments]
    return PageSegments(page, mode, extracted.segments, head.title, extracted.site_name, labels, variant)


def _work(args):
    page, mode = args
    remover = BoilerplateRemover(load_rules())
    try:
        return page_segments(page, mode, remover)
    except Exception as error:  # a page that cannot be parsed is left out of the data
        print(f"skip {page.dataset}:{page.id}: {error}", file=sys.stderr)
        return []


def _fingerprint() -> str:
    """Changes whenever the rules or the code that makes and marks segments change, so the cache follows."""
    import hashlib

    digest = hashlib.sha1()
    sources = sorted((ROOT / "rules").glob("*.yaml"))
    sources += [ROOT / "cleanse" / f"{m}.py" for m in ("extract", "boilerplate", "head", "rules", "records")]
    sources.append(Path(__file__))
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build(pages: list[Page], mode: str, name: str) -> list[PageSegments]:
    """Segments of every page, cached under training/.cache/ by data set, mode and code fingerprint."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / f"{name}-{mode}-{_fingerprint()}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    with Pool(2) as pool:
        result = [r for rs in pool.map(_work, [(p, mode) for p in pages], chunksize=8) for r in rs if r.segments]
    cache.write_bytes(pickle.dumps(result))
    return result

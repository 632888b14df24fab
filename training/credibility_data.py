"""Build the credibility training set: articles joined on their host to the host's public quality rating.

    python training/credibility_data.py [--data ../shared/data/credibility] [--extraction ../shared/data/extraction]
                                        [--out training/.cache/credibility.jsonl]
    cleanse train training/.cache/credibility.jsonl --label-field pc1 --group-field host \\
        --name credibility-v5 -o cleanse/models/credibility          # the shipped model

Data (../shared/data, see its README for licences and citations):
  - credibility/: the BuzzFeed-Webis Fake News Corpus 2016 (Potthast et al., ACL 2018), with its portal,
    orientation and veracity; the FakeNewsCorpus sample (OpenSources-typed domains); FakeNewsNet v1 articles
    (Shu et al.), those whose URL names their host. Political news of 2016-2017, most of it from hyperpartisan
    and fake-news sites: alone it teaches little of what sound outlets write about anything else.
  - extraction/: the English pages of the extraction benchmarks whose host is rated, for the range of outlets
    and subjects the news corpora lack (local papers, magazines, trade and science press, 2019-2025): the gold
    article bodies of AEB (Zyte, MIT) and WCXB (CC-BY-4.0), and trafilatura's evaluation pages (Apache-2.0
    repository) through cleanse's own HTML extraction, as they have no gold body.
Label: the host's aggregate quality rating pc1 (Lin et al. 2023, PNAS Nexus), in [0, 1], used as a soft label.
Articles whose host (or a parent domain) has no rating are left out.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanse.language import detect_language  # noqa: E402
from cleanse.ratings import known_ratings, rated_domain  # noqa: E402

DEFAULT_OUT = ROOT / "training" / ".cache" / "credibility.jsonl"
COMMAND = (
    "cleanse train training/.cache/credibility.jsonl --label-field pc1 --group-field host "
    "--name credibility-v5 -o cleanse/models/credibility"
)


def _host(value: str | None) -> str:
    if not value:
        return ""
    return (urlsplit(value if "//" in value else f"//{value}").hostname or "").lower()


def raw_articles(data: Path) -> Iterator[dict]:
    for line in (data / "buzzfeed-webis-2016.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        yield {
            "dataset": "buzzfeed-webis",
            "id": r["id"],
            "text": "\n\n".join(r["paragraphs"]),
            "title": r.get("title"),
            "author": r.get("author"),
            "host_hint": r["source"],
            "portal": r["portal"],
            "orientation": r["orientation"],
            "veracity": r["veracity"],
        }
    for line in (data / "fakenewscorpus-sample.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        yield {
            "dataset": "fakenewscorpus",
            "id": r["id"],
            "text": r["text"],
            "title": r.get("title"),
            "author": r.get("authors"),
            "host_hint": r["source"],
        }
    for line in (data / "fakenewsnet" / "fakenewsnet_v1_articles.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        authors = r.get("authors")
        yield {
            "dataset": "fakenewsnet",
            "id": r["id"],
            "text": r["text"],
            "title": r.get("title"),
            "author": ", ".join(authors) if isinstance(authors, list) else authors,
            "host_hint": r.get("source") or r.get("url") or "",
        }


def extraction_articles(extraction: Path) -> Iterator[dict]:
    """The extraction benchmarks' pages as articles (see the module docstring), in every language: `build`
    keeps the English ones."""
    for page_id, page in json.loads((extraction / "aeb" / "ground-truth.json").read_text(encoding="utf-8")).items():
        yield {"dataset": "aeb", "id": page_id, "text": page["articleBody"], "host_hint": page["url"]}
    for path in sorted((extraction / "wcxb-dev" / "ground-truth").glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        truth = page["ground_truth"]
        yield {
            "dataset": "wcxb",
            "id": path.stem,
            "text": truth.get("main_content") or "",
            "title": truth.get("title"),
            "author": truth.get("author"),
            "host_hint": page.get("url") or "",
        }
    yield from _trafilatura_eval_articles(extraction / "trafilatura-eval", known_ratings())


def _trafilatura_eval_articles(folder: Path, ratings: dict[str, float]) -> Iterator[dict]:
    from cleanse.pipeline import Cleaner

    cleaner = Cleaner(model=None)
    for url, item in json.loads((folder / "evaldata.json").read_text(encoding="utf-8")).items():
        path = folder / "html" / item["file"]
        path = path if path.exists() else path.with_name(item["file"] + ".gz")
        if not rated_domain(_host(url), ratings) or not path.exists():
            continue  # extraction is the slow part: only for pages that can be labelled
        raw = path.read_bytes()
        html = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")
        result = cleaner.process({"id": item["file"], "html": html, "url": url})
        if result.status == "ok":
            yield {
                "dataset": "trafilatura-eval",
                "id": item["file"],
                "text": result.text,
                "title": result.title,
                "author": result.author,
                "host_hint": url,
            }


def build(data: Path, extraction: Path | None) -> list[dict]:
    """Rated articles in English: the signals and the style features are English."""
    ratings = known_ratings()
    records = []
    articles = raw_articles(data)
    if extraction is not None:
        articles = itertools.chain(articles, extraction_articles(extraction))
    for article in articles:
        host = rated_domain(_host(article.pop("host_hint")), ratings)
        if host and article["text"] and article["text"].strip() and detect_language(article["text"])[0] == "en":
            article["id"] = f"{article['dataset']}:{article['id']}"
            records.append({**article, "host": host, "pc1": ratings[host]})
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "credibility")
    parser.add_argument("--extraction", type=Path, default=ROOT.parent / "shared" / "data" / "extraction")
    parser.add_argument("--no-extraction", action="store_true", help="the news corpora alone")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    records = build(args.data, None if args.no_extraction else args.extraction)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} articles from {len({r['host'] for r in records})} rated hosts -> {args.out}")
    print(dict(Counter(r["dataset"] for r in records)))
    print(f"train the shipped model with:\n  {COMMAND}")


if __name__ == "__main__":
    main()

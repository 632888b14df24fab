"""Build the credibility training set: articles joined on their host to the host's public quality rating.

    python training/credibility_data.py [--data ../shared/data/credibility] [--out training/.cache/credibility.jsonl]
    cleanse train training/.cache/credibility.jsonl --label-field pc1 --group-field host \\
        --name credibility-v3 -o cleanse/models/credibility          # the shipped model

Data (../shared/data/credibility, see its README for licences and citations):
  - BuzzFeed-Webis Fake News Corpus 2016 (Potthast et al., ACL 2018), with its portal, orientation and veracity
  - FakeNewsCorpus sample (OpenSources-typed domains)
  - FakeNewsNet v1 articles (Shu et al.), those whose URL names their host
Label: the host's aggregate quality rating pc1 (Lin et al. 2023, PNAS Nexus), in [0, 1], used as a soft label.
Articles whose host (or a parent domain) has no rating are left out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanse.ratings import known_ratings, rated_domain  # noqa: E402

DEFAULT_OUT = ROOT / "training" / ".cache" / "credibility.jsonl"
COMMAND = (
    "cleanse train training/.cache/credibility.jsonl --label-field pc1 --group-field host "
    "--name credibility-v3 -o cleanse/models/credibility"
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


def build(data: Path) -> list[dict]:
    ratings = known_ratings()
    records = []
    for article in raw_articles(data):
        host = rated_domain(_host(article.pop("host_hint")), ratings)
        if host and article["text"] and article["text"].strip():
            article["id"] = f"{article['dataset']}:{article['id']}"
            records.append({**article, "host": host, "pc1": ratings[host]})
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "credibility")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    records = build(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} articles from {len({r['host'] for r in records})} rated hosts -> {args.out}")
    print(dict(Counter(r["dataset"] for r in records)))
    print(f"train the shipped model with:\n  {COMMAND}")


if __name__ == "__main__":
    main()

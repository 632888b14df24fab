"""Audit of the boilerplate stage: for every rule (and the model), how much of what it removes is article.

    python benchmarks/boilerplate_audit.py [--data ../shared/data/extraction] [--sets aeb,plain,wcxb] [--show RULE]

A rule is only as good as its precision on pages nobody tuned it to. For each data set with a gold article
(AEB HTML and its full-page plain text; WCXB dev HTML), every removed segment is compared with the gold text:
it is "article" when most of its word 4-grams (for a short segment: its whole text) are in the gold, else
boilerplate. The table gives, per reason, the segments and words removed and the share of them that was
article — the words a rule costs. `--show RULE` prints the article segments that rule removed, to read.
Note: the shipped HTML segment model was trained on WCXB pages, so its WCXB line (`model`) is in-sample.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import _decode, wcxb_pages  # noqa: E402

_TOKEN = re.compile(r"\w+")
_WORKER: dict = {}


def _shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}


def is_article(text: str, gold_tokens: str, gold_shingles: set) -> bool:
    tokens = _TOKEN.findall(text)
    if len(tokens) >= 4:
        shingles = _shingles(tokens)
        return len(shingles & gold_shingles) >= 0.5 * len(shingles)
    return bool(tokens) and f" {' '.join(tokens)} " in gold_tokens


def _init() -> None:
    from cleanse import Cleaner

    _WORKER["cleaner"] = Cleaner(model=None)


def audit_page(task: tuple[str, str, str | None, bool, str]) -> list[tuple[str, int, bool, str]]:
    """(reason, words, is article, text) of each removed segment of one page."""
    key, content, url, is_html, gold = task
    field = "html" if is_html else "text"
    source = _decode(Path(content)) if is_html else content
    record = _WORKER["cleaner"]({"id": key, field: source, "url": url})
    tokens = _TOKEN.findall(gold)
    gold_tokens, gold_shingles = f" {' '.join(tokens)} ", _shingles(tokens)
    return [
        (r["reason"], len(r["text"].split()), is_article(r["text"], gold_tokens, gold_shingles), r["text"])
        for r in record["removed"]
    ]


def tasks(data: Path, name: str) -> list[tuple]:
    if name == "wcxb":
        return [(k, h, u, True, t.get("main_content") or "") for k, h, u, t in wcxb_pages(data)]
    truth = json.loads((data / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    if name == "aeb":
        return [(k, str(data / "aeb" / "html" / f"{k}.html.gz"), v["url"], True, v["articleBody"])
                for k, v in sorted(truth.items())]  # fmt: skip
    rows = [json.loads(line) for line in (data / "aeb" / "scrapinghub.plaintext.jsonl").open(encoding="utf-8")]
    return [(r["id"], r["page_text"], None, False, r["gold_article_body"]) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction")
    parser.add_argument("--sets", default="aeb,plain,wcxb")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--show", help="print the article segments this reason removed")
    args = parser.parse_args()
    with get_context("spawn").Pool(args.workers, initializer=_init) as pool:
        for name in args.sets.split(","):
            stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
            for removed in pool.imap(audit_page, tasks(args.data, name), chunksize=4):
                for reason, words, article, text in removed:
                    base = reason.split("+")[0]
                    row = stats[base]
                    row[0] += 1
                    row[1] += words
                    row[2] += article
                    row[3] += words if article else 0
                    if args.show and base == args.show and article:
                        print(f"  [{name}] {text[:160]}")
            print(f"\n### {name}\n\n| reason | segments | words | article segments | article words |")
            print("|---|---|---|---|---|")
            for reason, (n, words, article, article_words) in sorted(stats.items(), key=lambda x: -x[1][3]):
                print(f"| {reason} | {n} | {words} | {article} ({article / n:.0%}) | {article_words} "
                      f"({article_words / max(words, 1):.0%}) |")  # fmt: skip


if __name__ == "__main__":
    main()

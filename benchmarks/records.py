"""Records of a fixed corpus, written so that two checkouts can be compared byte for byte.

    python benchmarks/records.py [--data ../shared/data/extraction] [--code DIR] [--out records.jsonl]
                                 [--against OTHER.jsonl]

A change meant to make cleanse faster without changing what it finds is checked here: every output record of
the texts that benchmarks/language_agreement.py reads (AEB gold bodies and full-page texts, WCXB gold texts,
trafilatura-eval snippets, the seeds) and of every HTML page of AEB, WCXB and trafilatura-eval that
benchmarks/extraction.py reads (about 4,100 records), with the keys sorted. `--code DIR` runs the cleanse
package of another checkout, for instance `git worktree add /tmp/before HEAD~1`, so the two outputs come from
the same script; each cleans them as `cleanse clean --workers 1` does (`cleanse.runner.clean_records`):

    python benchmarks/records.py --code /tmp/before --out /tmp/before.jsonl
    python benchmarks/records.py --against /tmp/before.jsonl

Prints the number of records and their SHA-256; with `--against`, the ids of the records that differ, and
exits 1 if any does.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import sys
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


def inputs(data: Path) -> Iterator[dict]:
    """Input records: the texts, then the pages, listed and decoded as the extraction benchmark does."""
    from extraction import _decode, teval_pages, wcxb_pages
    from language_agreement import texts

    for number, text in enumerate(texts(data)):
        yield {"id": f"text/{number}", "text": text}
    aeb = json.loads((data / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [
        (f"aeb/{key}", data / "aeb" / "html" / f"{key}.html.gz", value["url"]) for key, value in sorted(aeb.items())
    ]
    pages += [(f"wcxb/{key}", Path(path), url) for key, path, url, _ in wcxb_pages(data)]
    pages += [(f"teval/{item['file']}", path, url) for url, path, item in teval_pages(data)]
    for key, path, url in pages:
        yield {"id": key, "html": _decode(path), "url": url}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose cleanse package runs")
    parser.add_argument("--out", type=Path, default=Path("records.jsonl"))
    parser.add_argument("--against", type=Path, help="records of another checkout to compare with, line by line")
    args = parser.parse_args()

    sys.path.insert(0, str(args.code.resolve()))
    cleanse = importlib.import_module("cleanse")  # imported first, so the benchmark helpers below reuse it
    sys.path.insert(1, str(HERE))
    print(f"cleanse from {Path(cleanse.__file__).parent}", file=sys.stderr)

    runner, spec = importlib.import_module("cleanse.runner"), importlib.import_module("cleanse.spec")
    digest = hashlib.sha256()
    count = 0
    with args.out.open("w", encoding="utf-8") as out:
        for output in runner.clean_records(inputs(args.data), spec.CleanerSpec(), workers=1):  # as `cleanse clean`
            line = json.dumps(output, sort_keys=True, ensure_ascii=False) + "\n"
            out.write(line)
            digest.update(line.encode("utf-8"))
            count += 1
    print(f"{count} records, sha256 {digest.hexdigest()}, written to {args.out}")
    if args.against:
        differing = differences(args.out, args.against)
        for key in differing[:50]:
            print(f"differs: {key}")
        print(f"{len(differing)} records differ from {args.against}")
        sys.exit(1 if differing else 0)


def differences(ours: Path, theirs: Path) -> list[str]:
    """Ids of the records that differ, line by line (a line one file lacks counts as a difference)."""
    with ours.open(encoding="utf-8") as a, theirs.open(encoding="utf-8") as b:
        pairs = list(zip_longest(a, b))
    return [json.loads(line or twin).get("id") for line, twin in pairs if line != twin]


if __name__ == "__main__":
    main()

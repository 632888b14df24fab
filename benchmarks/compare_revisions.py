"""Two versions of cleanse side by side in one process: is a change faster, and by how much?

    python benchmarks/compare_revisions.py BASE [--mode text|html] [--rounds 8] [--data ../shared/data/extraction/aeb]

This machine's CPU moves absolute rates by a third from one day to the next (docs/speed.md); the ratio of two
versions timed in the same seconds does not move with it. BASE (any git revision) is taken out of git into a
temporary folder as a package of another name, its imports renamed, and loaded beside the working tree's
`cleanse`. Both clean the AEB gold bodies (text) or pages (html) as `cleanse clean` does, in batches of 16 taken
stage by stage, batch after batch alternating which version goes first, after one pass to warm up. Prints
whether the two give the same output records, each version's documents per CPU second in every round, and the
median of the rounds' ratios (working tree / BASE).
"""

from __future__ import annotations

import argparse
import importlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import batched, load_bodies, load_pages  # noqa: E402

BATCH = 16
ALIAS = "cleanse_base"
_IMPORT = re.compile(r"\b(from|import) cleanse\b")


def base_package(revision: str, folder: Path) -> object:
    """The cleanse package of `revision`, with its rules beside it, imported as ALIAS."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "cleanse", "rules"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "cleanse").rename(folder / ALIAS)
    for path in (folder / ALIAS).rglob("*.py"):
        path.write_text(_IMPORT.sub(rf"\1 {ALIAS}", path.read_text(encoding="utf-8")), encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module(ALIAS)


def records(mode: str, data: Path) -> list[dict]:
    if mode == "text":
        return [{"id": str(i), "text": body} for i, body in enumerate(load_bodies(data))]
    return [{"id": key, "html": page, "url": url} for key, page, url in load_pages(data)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="the git revision to compare the working tree with")
    parser.add_argument("--mode", choices=("text", "html"), default="text")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction" / "aeb")
    args = parser.parse_args()

    import cleanse

    with tempfile.TemporaryDirectory() as folder:
        base = base_package(args.base, Path(folder))
        cleaners = {"base": base.Cleaner(), "working tree": cleanse.Cleaner()}
        inputs = records(args.mode, args.data)
        made = {name: batched(cleaner, inputs) for name, cleaner in cleaners.items()}  # also the warm-up pass
        differing = sum(a != b for a, b in zip(made["base"], made["working tree"], strict=True))
        print(f"{len(inputs)} {args.mode} records, {differing} differ between {args.base} and the working tree")
        batches = [inputs[i : i + BATCH] for i in range(0, len(inputs), BATCH)]
        rates: dict[str, list[float]] = {name: [] for name in cleaners}
        for round_number in range(args.rounds):
            spent = dict.fromkeys(cleaners, 0.0)
            for number, batch in enumerate(batches):
                order = list(cleaners) if (round_number + number) % 2 == 0 else list(cleaners)[::-1]
                for name in order:
                    start = time.process_time()
                    batched(cleaners[name], batch)
                    spent[name] += time.process_time() - start
            for name in cleaners:
                rates[name].append(len(inputs) / spent[name])
    for name, values in rates.items():
        print(f"{name}: documents per CPU second by round {[round(v, 1) for v in values]}")
    ratios = [new / old for old, new in zip(rates["base"], rates["working tree"], strict=True)]
    print(f"working tree / {args.base}: median of the rounds' ratios {statistics.median(ratios):.3f} "
          f"(rounds {min(ratios):.3f} to {max(ratios):.3f})")  # fmt: skip


if __name__ == "__main__":
    main()

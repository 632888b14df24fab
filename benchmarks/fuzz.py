"""Coverage-guided fuzzing of cleanse with atheris (libFuzzer), for longer runs than the property tests in CI.

    pip install atheris
    python benchmarks/fuzz.py TARGET [--seconds 300] [libFuzzer options, e.g. -jobs=1]

TARGET is one of: readers (any bytes as a file of any kind), jsonl (any bytes as a JSONL stream, each record
cleaned), html (any bytes as a page), text (any bytes as plain text), rules (any segments through the shipped
boilerplate rules), patterns (any string as a user regex in a rule pack). Each input is held to what the issue
asks: nothing raises, no record is lost (one per document, one per non-blank JSONL line), every output record
keeps the contract (cleanse/contract.py), no input takes longer than HANG_SECONDS. A failing input is saved
under benchmarks/results/fuzz-failures/ and counted, and the run goes on. At the end the figures (inputs tried,
failures, hangs, records lost, the slowest input) are printed and stored in benchmarks/results/fuzz.json.

The per-document time limit is switched off here, so that a slow input shows as a hang instead of as an
error record. The seed corpus is the seeds and the test fixtures; libFuzzer's new inputs go to a temporary
folder, never into the repository.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
FAILURES = RESULTS / "fuzz-failures"
HANG_SECONDS = 10.0
SUFFIXES = [".html", ".txt", ".jsonl", ".html.gz", ".jsonl.gz", ".bin"]

import atheris  # noqa: E402

with atheris.instrument_imports(include=["cleanse", "trafilatura", "courlan", "htmldate"]):
    from cleanse import Cleaner, Limits
    from cleanse.boilerplate import BoilerplateRemover
    from cleanse.contract import problems
    from cleanse.io import decode, dumps, read_inputs, read_jsonl
    from cleanse.records import Segment
    from cleanse.rules import RulePackError, load_rules


class Broken(AssertionError):
    """An input that broke a promise; `lost` records went missing."""

    def __init__(self, message: str, lost: int = 0):
        super().__init__(message)
        self.lost = lost


def _non_blank_lines(data: bytes) -> int:
    return sum(1 for line in data.split(b"\n") if line.strip())


def _check(records: list[dict], expected: int | None = None) -> None:
    if expected is not None and len(records) != expected:
        raise Broken(f"{len(records)} records for {expected} inputs", lost=max(0, expected - len(records)))
    for record in records:
        out = CLEANER(record)
        found = problems(out)
        if found:
            raise Broken(f"record {out.get('id')!r} breaks the contract: {found}")
        dumps(out).encode("utf-8")


def fuzz_readers(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    suffix = SUFFIXES[provider.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
    packed = provider.ConsumeBool() and suffix.endswith(".gz")
    content = provider.ConsumeBytes(provider.remaining_bytes())
    path = Path(WORK) / f"input{suffix}"
    path.write_bytes(gzip.compress(content) if packed else content)
    records = list(read_inputs([str(path)]))
    if ".jsonl" not in suffix:
        expected = 1
    elif packed or not suffix.endswith(".gz"):
        expected = _non_blank_lines(content)
    else:
        expected = 1 if content else 0
    _check(records, expected)


def fuzz_jsonl(data: bytes) -> None:
    _check(list(read_jsonl(io.BytesIO(data), "fuzz")), _non_blank_lines(data))


def fuzz_html(data: bytes) -> None:
    _check([{"id": "fuzz", "html": data}])


def fuzz_text(data: bytes) -> None:
    _check([{"id": "fuzz", "text": decode(data)}])


def fuzz_rules(data: bytes) -> None:
    texts = decode(data).split("\n")
    segments = [Segment(index=i, text=t) for i, t in enumerate(texts)]
    BoilerplateRemover(RULESET).apply(segments)
    for rule in RULESET.rules:
        for text in texts:
            for start, end in rule.matcher.finditer(text):
                if not 0 <= start < end <= len(text):
                    raise Broken(f"{rule.id} matched outside its segment: {(start, end)}")


def fuzz_patterns(data: bytes) -> None:
    pattern = decode(data)
    pack = Path(WORK) / "pack.yaml"
    pack.write_text(
        "schema: 1\npack: fuzz\nrules:\n  - id: fuzz.rule\n    description: d\n    criterion: c\n"
        f"    label: promo\n    match: {{regex: {json.dumps(pattern)}}}\n",
        encoding="utf-8",
        errors="surrogatepass",
    )
    try:
        rules = load_rules([pack], include_defaults=False)
    except RulePackError as error:
        if not all(p.startswith(str(pack)) for p in error.problems):
            raise Broken(f"a problem without file and line: {error.problems}") from None
        return
    for rule in rules.rules:
        list(rule.matcher.finditer("a" * 10_000 + "b" + pattern))


TARGETS = {f.__name__.removeprefix("fuzz_"): f for f in (fuzz_readers, fuzz_jsonl, fuzz_html, fuzz_text, fuzz_rules)}
TARGETS["patterns"] = fuzz_patterns


def _seed_corpus(target: str, folder: Path) -> None:
    """The seeds and the test fixtures, as this target reads them."""
    pages = [p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures").glob("*.html"))]
    pages += [gzip.decompress(p.read_bytes()) for p in sorted((ROOT / "tests" / "fixtures").glob("*.html.gz"))]
    texts = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    lines = b"".join(json.dumps({"id": p.name, "text": t.decode()}).encode() + b"\n" for p, t in zip(
        sorted((ROOT / "seeds").glob("*.txt")), texts, strict=True))  # fmt: skip
    seeds = {
        "readers": [b"\x00" + t for t in texts] + [b"\x02" + lines],
        "jsonl": [lines],
        "html": pages,
        "text": texts,
        "rules": texts,
        "patterns": [rb"(?i)\bdonate\b", rb"(a+)+$", rb"(?<=x)y", rb"[[:alpha:]]{2,}"],
    }[target]
    for number, seed in enumerate(seeds):
        (folder / f"seed-{number}").write_bytes(seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--seconds", type=float, default=300)
    args, libfuzzer = parser.parse_known_args()
    target = TARGETS[args.target]
    stats = {"target": args.target, "inputs": 0, "failures": 0, "hangs": 0, "records_lost": 0, "slowest_seconds": 0.0}
    started = time.monotonic()
    first_failure: list[str] = []

    def one_input(data: bytes) -> None:
        if time.monotonic() - started > args.seconds:
            _finish(stats, time.monotonic() - started, first_failure)
        stats["inputs"] += 1
        began = time.monotonic()
        try:
            target(data)
        except Exception as error:  # every failure is counted and saved, and the run goes on
            stats["failures"] += 1
            stats["records_lost"] += getattr(error, "lost", 0)
            _save(args.target, data)
            if not first_failure:
                first_failure.append(traceback.format_exc())
        took = time.monotonic() - began
        stats["slowest_seconds"] = round(max(stats["slowest_seconds"], took), 3)
        if took > HANG_SECONDS:
            stats["hangs"] += 1
            _save(args.target, data, "hang")

    corpus = Path(tempfile.mkdtemp(prefix=f"cleanse-fuzz-{args.target}-"))
    _seed_corpus(args.target, corpus)
    flags = [f"-timeout={int(HANG_SECONDS * 6)}", "-max_len=65536", "-rss_limit_mb=8192", *libfuzzer]
    atheris.Setup([sys.argv[0], *flags, str(corpus)], one_input)
    atheris.Fuzz()


def _save(target: str, data: bytes, kind: str = "failure") -> None:
    FAILURES.mkdir(parents=True, exist_ok=True)
    (FAILURES / f"{target}-{kind}-{hashlib.sha1(data).hexdigest()[:12]}.bin").write_bytes(data)


def _finish(stats: dict, seconds: float, first_failure: list[str]) -> None:
    """Print and store the figures, then leave at once (libFuzzer never returns from its loop)."""
    stats["seconds"] = round(seconds)
    if first_failure:
        print(first_failure[0], file=sys.stderr)
    print(json.dumps(stats), flush=True)
    path = RESULTS / "fuzz.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results[stats["target"]] = stats
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    os._exit(0)


WORK = tempfile.mkdtemp(prefix="cleanse-fuzz-work-")
CLEANER = Cleaner(limits=Limits(max_seconds=None))
RULESET = CLEANER.ruleset

if __name__ == "__main__":
    main()

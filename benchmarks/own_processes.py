"""trafilatura and cleanse each in a process of its own, as a pipeline runs one of them over a stream.

    python benchmarks/own_processes.py [--data ../shared/data/extraction/aeb] [--rounds 2] [--passes 4]

`benchmarks/speed.py` times the systems in one process, page by page; a process that runs both lets each meet
the CPU's caches and the heap as the other left them, and in throwaway runs that favoured cleanse (trafilatura
ran a few per cent slower beside it). Here each system runs in a fresh process: three pages to warm up, then
`--passes` passes over the AEB pages, the median pass's CPU time; processes alternate (trafilatura, cleanse's
extraction alone, the whole cleanse pipeline, cleanse in plain-text mode on the AEB gold bodies as `cleanse
clean` cleans them) for `--rounds` rounds, and the ratios are of the medians.

The plain-text time a document is also given in units of trafilatura's time a page in the same minutes: the
machine's CPU moves both alike, so that figure holds from one day to the next where documents per second do
not (docs/speed.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import BASELINE, batched, cpu_ms, load_bodies, load_pages  # noqa: E402

SYSTEMS = ("trafilatura", "extraction", "cleanse", "text")


def one_system(system: str, data: Path, passes: int) -> float:
    """The median CPU seconds of a pass over the pages (the gold bodies for "text"), in this process, for one
    system."""
    if system == "text":
        from cleanse import Cleaner

        cleaner = Cleaner()
        records = [{"id": str(number), "text": body} for number, body in enumerate(load_bodies(data))]
        batched(cleaner, records[:3])
        return statistics.median(cpu_ms(lambda: batched(cleaner, records)) / 1000 for _ in range(passes))
    pages = load_pages(data)
    if system == "trafilatura":
        from trafilatura import bare_extraction

        run = lambda key, page, url: bare_extraction(page, url=url, **BASELINE)  # noqa: E731
    elif system == "extraction":
        from cleanse.extract import extract_html

        run = lambda key, page, url: extract_html(page, url)  # noqa: E731
    else:
        from cleanse import Cleaner

        cleaner = Cleaner()
        run = lambda key, page, url: cleaner({"id": key, "html": page, "url": url})  # noqa: E731
    for page in pages[:3]:
        run(*page)
    return statistics.median(cpu_ms(lambda: [run(*page) for page in pages]) / 1000 for _ in range(passes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction" / "aeb")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--passes", type=int, default=4)
    parser.add_argument("--system", choices=SYSTEMS, help=argparse.SUPPRESS)  # a child process's one system
    args = parser.parse_args()
    if args.system:
        print(json.dumps(one_system(args.system, args.data, args.passes)))
        return
    seconds: dict[str, list[float]] = {system: [] for system in SYSTEMS}
    for _ in range(args.rounds):
        for system in SYSTEMS:
            command = [sys.executable, __file__, "--system", system, "--data", str(args.data)]
            output = subprocess.run([*command, "--passes", str(args.passes)], capture_output=True, check=True)
            seconds[system].append(json.loads(output.stdout))
    median = {system: statistics.median(values) for system, values in seconds.items()}
    for system, values in seconds.items():
        print(f"{system}: CPU s a pass, each round: {', '.join(f'{v:.2f}' for v in values)}")
    traf = median["trafilatura"]
    print(f"cleanse / trafilatura {median['cleanse'] / traf:.3f}; extraction alone {median['extraction'] / traf:.3f}")
    documents = len(load_bodies(args.data))  # as many as pages: a body and a page per ground-truth entry
    relative = median["text"] / traf
    print(f"plain text: {documents / median['text']:.0f} documents per CPU second; a document costs {relative:.3f}× "
          "trafilatura's time a page")  # fmt: skip


if __name__ == "__main__":
    main()

"""Speed benchmark: what cleanse costs next to the extraction a pipeline already pays, and how it scales.

    python benchmarks/speed.py [--data ../shared/data/extraction/aeb] [--repeats 5] [--big-mb 1000]
                               [--only html,text,scale,start,help]

- html: the 181 AEB pages, each timed in turn, interleaved in one process: trafilatura's `bare_extraction` with
  metadata (comments off, tables on, as cleanse) alone vs the whole cleanse pipeline on the same bytes
  (extraction, boilerplate, head, language, signals, score), and cleanse's extraction alone (its own call of
  trafilatura, which finds only the metadata cleanse keeps, and the segments), so that the ratio splits into
  extraction and analysis; CPU time per call, the median of `--repeats` for each page; the
  same ratio over the first pass alone, where each page is new to the process as in a stream of new pages
  (caches that learn from the texts they meet, RE2's lazily built automata and cleanse's word caches, have not
  met it yet); the same comparison as `cleanse clean` runs the pages, a worker's chunk of 16 at a time (taken
  stage by stage) against trafilatura on the same pages one after the other; and
  what each stage of cleanse costs (one more pass in batches, as `cleanse clean` runs, each stage timed).
- text: plain-text mode on the AEB gold bodies (language identification included): documents per CPU second of
  one process, the median of `--repeats` passes, as `cleanse clean` cleans them (batches of 16 taken stage by
  stage), and the first of those passes, where each document is new to the process; alternating with them, one
  `Cleaner` call per document; and the segment model's prediction
  alone, scikit-learn's against its trees evaluated in numpy (`cleanse.forest`), interleaved on the same rows.
  Run before the html section, in a process that has cleaned no HTML, as a plain-text job's has not (one that
  has runs it a few per cent slower).
- scale: `cleanse clean` run as a command on a JSONL of AEB pages (records of url + html) of 10 MB and of
  `--big-mb` MB, generated in a temporary folder and deleted after: documents per second with `--workers 1`
  and `--workers 2`, and the peak resident memory of the cleanse processes (the main process, and all its
  processes together), polled every 0.1 s. Beside it, what two processes of a plain loop get from the machine
  at that time against one: the ceiling for two workers when other work shares the cores.
- start: a new process building a `Cleaner` (what each worker pays before its first document): wall time and
  peak RSS, the median of 5 runs, and whether scikit-learn, skops or scipy were loaded; `--start-code DIR`
  times another checkout's cleanse instead (an older commit, to compare).
- help: wall time of `cleanse --help`, the median of 9 runs.

CPU time, not wall time, is the measure of cost where one process is timed, so that other work on the machine
does not count; the machine's load average is recorded beside the wall-time measures. Writes
benchmarks/results/speed.json and prints a Markdown table (docs/speed.md holds the last one).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLEANSE = Path(sys.executable).parent / "cleanse"

#: trafilatura's call as the baseline: `bare_extraction` with metadata, comments off, tables on, as cleanse calls it.
BASELINE = {"with_metadata": True, "include_comments": False, "include_tables": True, "include_images": False}

#: Where the pipeline spends its time: (module, function) -> stage name; nested stages are subtracted.
STAGES = {
    ("cleanse.pipeline", "extract_html"): "extraction (trafilatura + segments)",
    ("cleanse.boilerplate", "BoilerplateRemover.apply"): "boilerplate rules",
    ("cleanse.pipeline", "recognise_head"): "head (title, dek, byline)",
    ("cleanse.segment_model", "SegmentClassifier.apply"): "segment model (features + prediction)",
    ("cleanse.pipeline", "detect_language"): "language (langdetect)",
    ("cleanse.signals", "SignalMeter.measure"): "signals",
    ("cleanse.credibility", "CredibilityScorer.score"): "credibility (incl. writing style)",
    ("cleanse.records", "Result.to_dict"): "output record",
}


def load_pages(data: Path) -> list[tuple[str, bytes, str]]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        (k, gzip.decompress((data / "html" / f"{k}.html.gz").read_bytes()), v["url"]) for k, v in sorted(truth.items())
    ]


def load_new_pages(data: Path) -> list[tuple[str, bytes, str]]:
    """The WCXB development pages under the extraction data folder `data` that give their URL
    (`extraction.wcxb_pages`): pages that none of the AEB passes has shown the process. Empty when not there."""
    from extraction import wcxb_pages

    return [(key, gzip.decompress(Path(path).read_bytes()), url) for key, path, url, _ in wcxb_pages(data)]


def load_bodies(data: Path) -> list[str]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [v["articleBody"] for _, v in sorted(truth.items())]


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def cpu_ms(call) -> float:
    start = time.process_time()
    call()
    return 1000 * (time.process_time() - start)


def html(pages: list[tuple[str, bytes, str]], repeats: int, new_pages: list[tuple[str, bytes, str]]) -> dict:
    from trafilatura import bare_extraction

    from cleanse import Cleaner
    from cleanse.extract import extract_html

    cleaner = Cleaner()
    for key, page, url in pages[:3]:  # warm both up: imports, caches
        bare_extraction(page, url=url, **BASELINE)
        cleaner({"id": key, "html": page, "url": url})
    load = [load_average()]
    times = interleaved(
        pages,
        repeats,
        lambda key, page, url: [
            ("trafilatura", lambda: bare_extraction(page, url=url, **BASELINE)),
            ("cleanse", lambda: cleaner({"id": key, "html": page, "url": url})),
            ("extraction", lambda: extract_html(page, url)),  # cleanse's own trafilatura call
        ],
    )
    load.append(load_average())
    medians = {name: [statistics.median(t) for t in per_page] for name, per_page in times.items()}
    # The first pass meets every page (but the warm-up's three) for the first time: caches that learn from the
    # texts they see (RE2's lazily built automata above all) have not met it yet, as in a stream of new pages.
    first = {name: sum(t[0] for t in per_page) for name, per_page in times.items()}
    per_page_ratio = [c / t for c, t in zip(medians["cleanse"], medians["trafilatura"], strict=True) if t > 0]
    result = {
        "pages": len(pages),
        "repeats": repeats,
        "median_ms": {name: round(statistics.median(m), 2) for name, m in medians.items()},
        "total_ms": {name: round(sum(m), 1) for name, m in medians.items()},
        "ratio_total": round(sum(medians["cleanse"]) / sum(medians["trafilatura"]), 3),
        "ratio_median_page": round(statistics.median(per_page_ratio), 3),
        "first_pass_total_ms": {name: round(total, 1) for name, total in first.items()},
        "load_average": load,
    }
    result["batched"] = html_batched(pages, repeats)
    if new_pages:
        result["new_pages"] = html_new_pages(cleaner, new_pages)
    result["stages_ms_per_page"] = stages(cleaner, [{"id": k, "html": p, "url": u} for k, p, u in pages])
    return result


def interleaved(items: list, repeats: int, runs_of) -> dict[str, list[list[float]]]:
    """CPU ms of each named run that `runs_of(*item)` gives, for each item, `repeats` times: name -> per item,
    its times. The runs on an item follow each other, and which goes first rotates from item to item and from
    pass to pass, so that none always meets the caches as another left them."""
    times: dict[str, list[list[float]]] = defaultdict(lambda: [[] for _ in items])
    for repeat in range(repeats):
        for i, item in enumerate(items):
            runs = runs_of(*item)
            turn = (repeat + i) % len(runs)
            for name, call in runs[turn:] + runs[:turn]:
                times[name][i].append(cpu_ms(call))
    return dict(times)


def html_batched(pages: list[tuple[str, bytes, str]], repeats: int) -> dict:
    """The same comparison as `cleanse clean` runs the pages: a worker's chunk (`cleanse.runner.clean_chunk`,
    whose batch goes through each stage before the next) against trafilatura on the same pages one after
    the other, and cleanse's extraction alone on them; CPU time per chunk, the median of `repeats`, the three
    rotated chunk by chunk."""
    from trafilatura import bare_extraction

    from cleanse.extract import extract_html
    from cleanse.runner import CHUNK_SIZE, clean_chunk
    from cleanse.spec import CleanerSpec

    spec = CleanerSpec()
    chunks = [pages[i : i + CHUNK_SIZE] for i in range(0, len(pages), CHUNK_SIZE)]
    clean_chunk(spec, None, [{"id": k, "html": p, "url": u} for k, p, u in pages[:3]])  # this process's Cleaner
    records = [[{"id": k, "html": p, "url": u} for k, p, u in chunk] for chunk in chunks]
    times = interleaved(
        list(zip(chunks, records, strict=True)),
        repeats,
        lambda chunk, chunk_records: [
            ("trafilatura", lambda: [bare_extraction(p, url=u, **BASELINE) for _, p, u in chunk]),
            ("cleanse", lambda: clean_chunk(spec, None, chunk_records)),
            ("extraction", lambda: [extract_html(p, u) for _, p, u in chunk]),
        ],
    )
    total = {name: sum(statistics.median(t) for t in per_chunk) for name, per_chunk in times.items()}
    return {
        "chunk_size": CHUNK_SIZE,
        "total_ms": {name: round(value, 1) for name, value in total.items()},
        "ratio_total": round(total["cleanse"] / total["trafilatura"], 3),
        "first_pass_total_ms": {name: round(sum(t[0] for t in per_chunk), 1) for name, per_chunk in times.items()},
    }


def html_new_pages(cleaner, pages: list[tuple[str, bytes, str]]) -> dict:
    """trafilatura against cleanse on pages new to a process that is already warm (after the AEB passes), one
    pass each, as in a long stream of new pages: the first pass over the AEB pages also pays for what a process
    learns once (RE2's automata, trafilatura's stoplists, the word caches filling). The pages are cut into
    chunks of `CHUNK_SIZE`; every other chunk is cleaned page by page (one `Cleaner` call each), the others as
    `cleanse clean` cleans them (`clean_chunk`), so that each page is new to cleanse whichever way it is
    cleaned; trafilatura runs on every chunk, before or after cleanse in turn."""
    from trafilatura import bare_extraction

    from cleanse.runner import CHUNK_SIZE, clean_chunk
    from cleanse.spec import CleanerSpec

    spec = CleanerSpec()
    chunks = [pages[i : i + CHUNK_SIZE] for i in range(0, len(pages), CHUNK_SIZE)]
    records = [[{"id": k, "html": p, "url": u} for k, p, u in chunk] for chunk in chunks]
    ways = {
        "page by page": lambda chunk_records: [cleaner(record) for record in chunk_records],
        "as cleanse clean": lambda chunk_records: clean_chunk(spec, None, chunk_records),
    }
    out: dict = {"pages": len(pages)}
    for offset, (way, clean) in enumerate(ways.items()):
        mine = list(zip(chunks, records, strict=True))[offset :: len(ways)]
        times = interleaved(
            mine,
            1,
            lambda chunk, chunk_records, clean=clean: [
                ("trafilatura", lambda: [bare_extraction(p, url=u, **BASELINE) for _, p, u in chunk]),
                ("cleanse", lambda: clean(chunk_records)),
            ],
        )
        total = {name: sum(t[0] for t in per_chunk) for name, per_chunk in times.items()}
        out[way] = {
            "pages": sum(len(chunk) for chunk, _ in mine),
            "total_ms": {name: round(value, 1) for name, value in total.items()},
            "ratio_total": round(total["cleanse"] / total["trafilatura"], 3),
        }
    return out


def batched(cleaner, records: list[dict]) -> list[dict]:
    """The output records as `cleanse clean` makes them: batches taken stage by stage."""
    return [result.to_dict(cleaner.max_evidence) for result in cleaner.process_many(records)]


def stages(cleaner, records: list[dict]) -> dict[str, float]:
    """CPU ms per document spent in each stage, timed by wrapping the stage functions for one pass."""
    import importlib

    spent: dict[str, float] = defaultdict(float)
    depth: list[str] = []
    originals = []
    for (module_name, qualified), stage in STAGES.items():
        module = importlib.import_module(module_name)
        owner_name, _, name = qualified.rpartition(".")
        owner = getattr(module, owner_name) if owner_name else module
        original = getattr(owner, name)
        originals.append((owner, name, original))

        def timed(*args, _original=original, _stage=stage, **kwargs):
            start = time.process_time()
            depth.append(_stage)
            try:
                return _original(*args, **kwargs)
            finally:
                depth.pop()
                elapsed = time.process_time() - start
                spent[_stage] += elapsed
                if depth:
                    spent[depth[-1]] -= elapsed  # count nested time once, in the inner stage

        setattr(owner, name, timed)
    try:
        total = cpu_ms(lambda: batched(cleaner, records))
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    out = {stage: round(1000 * spent[stage] / len(records), 2) for stage in STAGES.values()}
    out["everything else"] = round(total / len(records) - sum(out.values()), 2)
    out["total"] = round(total / len(records), 2)
    return out


def text(bodies: list[str], repeats: int) -> dict:
    from cleanse import Cleaner

    cleaner = Cleaner()
    records = [{"id": str(i), "text": body} for i, body in enumerate(bodies)]
    for record in records[:5]:
        cleaner(record)
    passes = {  # as `cleanse clean` cleans them (batches taken stage by stage), and one call per document
        "batched": lambda: batched(cleaner, records),
        "one_by_one": lambda: [cleaner(r) for r in records],
    }
    rates: dict[str, list[float]] = {name: [] for name in passes}
    for repeat in range(repeats):
        for name in sorted(passes, reverse=repeat % 2 == 1):
            rates[name].append(len(records) / (cpu_ms(passes[name]) / 1000))
    return {
        "documents": len(records),
        "mean_kb": round(sum(len(b.encode()) for b in bodies) / len(bodies) / 1000, 2),
        "repeats": repeats,
        "docs_per_cpu_second": round(statistics.median(rates["batched"]), 1),
        "docs_per_cpu_second_first_pass": round(rates["batched"][0], 1),  # the documents new to the process
        "docs_per_cpu_second_one_by_one": round(statistics.median(rates["one_by_one"]), 1),
        "stages_ms_per_doc": stages(cleaner, records),
        "segment_prediction_ms_per_doc": segment_prediction(bodies, repeats),
    }


def segment_prediction(bodies: list[str], repeats: int) -> dict[str, float]:
    """CPU ms per document of the plain-text segment model's prediction alone: scikit-learn's `predict_proba`
    (on one thread, as cleanse called it) against the model's trees evaluated in numpy (`cleanse.forest`, what
    cleanse runs), on the same feature rows, the two passes alternating which goes first."""
    import numpy as np

    from cleanse.extract import extract_text
    from cleanse.segment_features import segment_features
    from cleanse.segment_model import SegmentClassifier, _thread_control

    classifier = SegmentClassifier.load("text")
    documents = [extract_text(body).segments for body in bodies]
    rows = [np.asarray(segment_features(segments), dtype=float) for segments in documents if segments]

    model = classifier.scikit_learn()

    def scikit_learn() -> None:
        with _thread_control().limit(limits=1, user_api="openmp"):
            for r in rows:
                model.predict_proba(r)

    def in_numpy() -> None:
        for r in rows:
            classifier.forest.probabilities(r)

    spent: dict[str, list[float]] = {"scikit-learn": [], "numpy": []}
    for repeat in range(repeats):
        runs = [("scikit-learn", scikit_learn), ("numpy", in_numpy)]
        for name, call in runs if repeat % 2 == 0 else runs[::-1]:
            spent[name].append(cpu_ms(call) / len(rows))
    return {name: round(statistics.median(ms), 3) for name, ms in spent.items()}


def write_corpus(path: Path, pages: list[tuple[str, bytes, str]], megabytes: float) -> int:
    """A JSONL of AEB pages repeated (each copy its own id) until it holds `megabytes` MB; its record count."""
    lines = [(key, url, page.decode("utf-8", errors="replace")) for key, page, url in pages]
    written = count = 0
    with path.open("w", encoding="utf-8") as out:
        while written < megabytes * 1e6:
            key, url, page = lines[count % len(lines)]
            line = json.dumps({"id": f"{key}-{count}", "url": url, "html": page}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode())
            count += 1
    return count


def run_clean(path: Path, workers: int, documents: int) -> dict:
    """`cleanse clean FILE --workers N` to /dev/null: wall time, CPU time of all its processes (and of the main
    one), and their resident memory, polled every 0.1 s (the peak over the first and over the second half of
    the run: memory that grew with the input would be higher in the second)."""
    import psutil

    load = load_average()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [str(CLEANSE), "clean", str(path), "--workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    samples, main_cpu = [], 0.0
    while process.poll() is None:
        try:
            main = watched.memory_info().rss
            children = sum(c.memory_info().rss for c in watched.children(recursive=True))
            times = watched.cpu_times()
        except psutil.Error:  # a process ended between listing and reading
            continue
        samples.append((time.perf_counter() - start, main, main + children))
        main_cpu = times.user + times.system
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the whole tree: cleanse waits for its workers
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    summary = process.stderr.read().decode().strip().splitlines()[-1]
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {summary}")
    halves = [[s for s in samples if (s[0] < seconds / 2) == first] for first in (True, False)]
    return {
        "workers": workers,
        "seconds": round(seconds, 1),
        "docs_per_second": round(documents / seconds, 2),
        "cpu_ms_per_doc": round(1000 * cpu / documents, 2),
        "main_cpu_ms_per_doc": round(1000 * main_cpu / documents, 2),
        "summary": summary,
        "peak_rss_mb_main": round(max(s[1] for s in samples) / 2**20),
        "peak_rss_mb_all": round(max(s[2] for s in samples) / 2**20),
        "peak_rss_mb_main_by_half": [round(max((s[1] for s in h), default=0) / 2**20) for h in halves],
        "load_average": [load, load_average()],
    }


def scale(pages: list[tuple[str, bytes, str]], big_mb: float) -> dict:
    out: dict = {"machine_two_process_speedup": ceiling()}
    with tempfile.TemporaryDirectory(prefix="cleanse-speed-") as folder:
        for label, megabytes in (("10 MB", 10), (f"{big_mb:g} MB", big_mb)):
            path = Path(folder) / "corpus.jsonl"
            documents = write_corpus(path, pages, megabytes)
            runs = [run_clean(path, workers, documents) for workers in (1, 2)]
            one, two = runs
            out[label] = {
                "bytes": path.stat().st_size,
                "documents": documents,
                "runs": runs,
                "speedup": round(two["docs_per_second"] / one["docs_per_second"], 2),
                # on two otherwise idle cores: one worker's CPU per document against half of what all processes
                # of the two-worker run spend per document
                "speedup_on_idle_cores": round(2 * one["cpu_ms_per_doc"] / two["cpu_ms_per_doc"], 2),
            }
            path.unlink()
    return out


def ceiling(seconds: float = 4.0) -> dict:
    """What two processes get from this machine right now: a pure-Python loop run alone, then twice at once
    (other work on the machine takes its share of the cores too)."""
    loop = f"import time\nend = time.process_time() + {seconds}\nn = 0\nwhile time.process_time() < end: n += 1"
    walls = []
    for copies in (1, 2):
        start = time.perf_counter()
        for process in [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(copies)]:
            process.wait()
        walls.append(time.perf_counter() - start)
    # the same CPU work per process: two processes on two free cores take as long as one
    return {"seconds_one": round(walls[0], 2), "seconds_two": round(walls[1], 2),
            "speedup": round(2 * walls[0] / walls[1], 2), "load_average": load_average()}  # fmt: skip


def help_time(runs: int = 9) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(CLEANSE), "--help"], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return {"runs": runs, "median_seconds": round(statistics.median(times), 3), "max_seconds": round(max(times), 3)}


#: A fresh process that builds a `Cleaner` (rules, language profiles, models): its wall time and memory, and
#: whether it loaded scikit-learn, skops or scipy to do it.
START_PROBE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
began = time.perf_counter()
from cleanse import Cleaner
Cleaner()
seconds = time.perf_counter() - began
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "skops", "scipy"})
try:  # this process's own peak: Linux carries the parent's peak into ru_maxrss across fork and exec
    with open("/proc/self/status") as status:
        peak_mb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
except OSError:
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps([seconds, peak_mb, heavy]))
"""


def start_time(code: Path, runs: int = 5) -> dict:
    """What a worker pays before its first document: a `Cleaner` built in a new process, the median of `runs`;
    `code` is the checkout whose cleanse is imported (another commit's, to compare)."""
    measured = [
        json.loads(subprocess.run([sys.executable, "-c", START_PROBE, str(code)], capture_output=True, text=True,
                                  check=True).stdout.splitlines()[-1])
        for _ in range(runs)
    ]  # fmt: skip
    return {
        "runs": runs,
        "median_seconds": round(statistics.median(m[0] for m in measured), 3),
        "median_rss_mb": statistics.median(m[1] for m in measured),
        "heavy_modules": measured[0][2],
        "code": "this checkout" if code.resolve() == ROOT else str(code),
        "load_average": load_average(),
    }


def markdown(results: dict) -> str:
    rows = ["| measure | result | goal | met |", "|---|---|---|---|"]

    def row(measure: str, value: str, goal: str = "", met: bool | None = None) -> None:
        rows.append(f"| {measure} | {value} | {goal} | {'' if met is None else ('yes' if met else 'no')} |")

    if "html" in results:
        h = results["html"]
        row(
            "HTML: trafilatura `bare_extraction` with metadata, median CPU ms per page",
            f"{h['median_ms']['trafilatura']}",
        )
        row("HTML: whole cleanse pipeline, median CPU ms per page", f"{h['median_ms']['cleanse']}")
        row(
            f"HTML: cleanse / trafilatura, total time over {h['pages']} pages (median page)",
            f"{h['ratio_total']:.2f}× ({h['ratio_median_page']:.2f}×)",
            "≤ 1.15×",
            h["ratio_total"] <= 1.15,
        )
        if "extraction" in h["total_ms"]:  # what the ratio is made of, timed in the same interleaved passes
            total = h["total_ms"]
            extraction, analysis = total["extraction"], total["cleanse"] - total["extraction"]
            row("HTML: cleanse's extraction alone (its trafilatura call, without the metadata cleanse does not keep, "
                "and the segments); the analysis after it: each / trafilatura, total time",
                f"{extraction / total['trafilatura']:.2f}×; +{analysis / total['trafilatura']:.2f}×")  # fmt: skip
        if "first_pass_total_ms" in h:
            first = h["first_pass_total_ms"]
            ratio = first["cleanse"] / first["trafilatura"]
            own = {n: first[n] / h["total_ms"][n] for n in ("cleanse", "trafilatura")}
            row("HTML: cleanse / trafilatura over the first pass alone, each page new to the process as in a stream "
                "(each system's first pass against its median pass)",
                f"{ratio:.2f}× (cleanse {own['cleanse']:.2f}×, trafilatura {own['trafilatura']:.2f}×)", "≤ 1.15×",
                ratio <= 1.15)  # fmt: skip
        if "batched" in h:
            b = h["batched"]
            total = b["total_ms"]
            analysis = (total["cleanse"] - total["extraction"]) / total["trafilatura"]
            first = b["first_pass_total_ms"]
            row(f"HTML as `cleanse clean` runs it (chunks of {b['chunk_size']}, each taken stage by stage) "
                "/ trafilatura on the same pages in a row, total time; cleanse's extraction alone; the analysis",
                f"{b['ratio_total']:.2f}×; {total['extraction'] / total['trafilatura']:.2f}×; +{analysis:.2f}×",
                "≤ 1.15× (analysis ≤ +0.15×)", b["ratio_total"] <= 1.15 and analysis <= 0.15)  # fmt: skip
            row("The same over the first pass alone", f"{first['cleanse'] / first['trafilatura']:.2f}×", "≤ 1.15×",
                first["cleanse"] / first["trafilatura"] <= 1.15)  # fmt: skip
        if "new_pages" in h:
            for way in ("page by page", "as cleanse clean"):
                n = h["new_pages"][way]
                ratio = n["ratio_total"]
                row(f"HTML, {way}: cleanse / trafilatura on {n['pages']} WCXB pages new to the warm process, "
                    "one pass each, total time", f"{ratio:.2f}×", "≤ 1.15×", ratio <= 1.15)  # fmt: skip
    if "text" in results:
        t = results["text"]
        rate = t["docs_per_cpu_second"]
        row(f"Plain text: documents per CPU second, AEB gold bodies (mean {t['mean_kb']} KB), as `cleanse clean` "
            "cleans them (batches of 16, stage by stage)", f"{rate:.1f}", "≥ 250", rate >= 250)  # fmt: skip
        if "docs_per_cpu_second_first_pass" in t:
            row("Plain text: the same over the first pass alone, each document new to the process (after 5 to warm "
                "up) as in a stream", f"{t['docs_per_cpu_second_first_pass']:.0f}")  # fmt: skip
        if "docs_per_cpu_second_one_by_one" in t:
            row("Plain text: the same, one `Cleaner` call per document", f"{t['docs_per_cpu_second_one_by_one']:.0f}")
        if "segment_prediction_ms_per_doc" in t:
            prediction = t["segment_prediction_ms_per_doc"]
            row("Plain text: segment model prediction, CPU ms per document: scikit-learn; its trees evaluated in "
                "numpy (what cleanse runs)", f"{prediction['scikit-learn']}; {prediction['numpy']}")  # fmt: skip
    if "scale" in results:
        scale_ = dict(results["scale"])
        machine = scale_.pop("machine_two_process_speedup")
        row("What 2 processes of a pure-Python loop got from the machine at the time, vs 1",
            f"{machine['speedup']:.2f}× (load average {machine['load_average']})")  # fmt: skip
        for label, s in scale_.items():
            one, two = s["runs"]
            load = two["load_average"][0]
            row(f"`cleanse clean`, {label} JSONL of AEB pages ({s['documents']}): docs/s with 1; 2 workers",
                f"{one['docs_per_second']}; {two['docs_per_second']} (load average {load})")  # fmt: skip
            row(f"{label}: 2 workers / 1 worker, measured", f"{s['speedup']:.2f}×", "≥ 1.8×", s["speedup"] >= 1.8)
            row(f"{label}: 2 workers / 1 worker on idle cores, from CPU time (main process "
                f"{two['main_cpu_ms_per_doc']} of {two['cpu_ms_per_doc']} ms per doc)",
                f"{s['speedup_on_idle_cores']:.2f}×", "≥ 1.8×", s["speedup_on_idle_cores"] >= 1.8)  # fmt: skip
        for label, s in scale_.items():
            one, two = s["runs"]
            row(f"Peak RSS, {label}: 1 worker (first half, second half); 2 workers: main, all processes",
                f"{one['peak_rss_mb_main']} MB ({', '.join(map(str, one['peak_rss_mb_main_by_half']))}); "
                f"{two['peak_rss_mb_main']} MB, {two['peak_rss_mb_all']} MB",
                "< 400 MB", one["peak_rss_mb_main"] < 400)  # fmt: skip
    if "start" in results:
        start = results["start"]
        row("A new process building a `Cleaner` (rules, language profiles, models): median wall time; peak RSS; "
            "scikit-learn, skops or scipy loaded",
            f"{start['median_seconds']:.2f} s; {start['median_rss_mb']:.0f} MB; "
            f"{', '.join(start['heavy_modules']) or 'none'}")  # fmt: skip
    if "help" in results:
        seconds = results["help"]["median_seconds"]
        row("`cleanse --help`, median wall time", f"{seconds:.3f} s", "< 0.3 s", seconds < 0.3)
    lines = rows
    for mode, key in (("html", "stages_ms_per_page"), ("text", "stages_ms_per_doc")):
        if mode in results:
            stages_ = results[mode][key]
            lines += ["", f"CPU ms per document by stage ({mode}):", "", "| stage | ms |", "|---|---|"]
            lines += [f"| {stage} | {ms} |" for stage, ms in stages_.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction" / "aeb")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--big-mb", type=float, default=1000)
    parser.add_argument(
        "--new-pages", type=Path, default=ROOT.parent / "shared" / "data" / "extraction",
        help="the extraction data folder whose wcxb-dev pages are new to the warm process",
    )  # fmt: skip
    parser.add_argument("--only", default="html,text,scale,start,help")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "speed.json")
    parser.add_argument("--start-code", type=Path, default=ROOT, help="the checkout whose cleanse `start` times")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    # sections not run this time keep their last results
    results: dict = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    results.update(cores=len(os.sched_getaffinity(0)), python=sys.version.split()[0])
    pages = load_pages(args.data)
    if "text" in wanted:  # first, in a process that has cleaned no HTML, as a plain-text job's process has not
        results["text"] = text(load_bodies(args.data), args.repeats)
    if "html" in wanted:
        results["html"] = html(pages, args.repeats, load_new_pages(args.new_pages))
    if "scale" in wanted:
        results["scale"] = scale(pages, args.big_mb)
    if "start" in wanted:
        results["start"] = start_time(args.start_code)
    if "help" in wanted:
        results["help"] = help_time()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()

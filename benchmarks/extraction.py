"""Extraction benchmark: cleanse against trafilatura, jusText and boilerpy3, side by side in one run.

    python benchmarks/extraction.py [--data ../shared/data/extraction] [--workers 2]
                                    [--only aeb,wcxb,plain,tail,teval,cost]

Data (../shared/data/extraction, see its README for licences): the Article Extraction Benchmark (Zyte, MIT:
181 pages, gold bodies, the same pages as full-page plain text, and the 52 pages whose trafilatura 2.0.0
output ends with lines that are not article), the WCXB development split (CC-BY-4.0: 793 article pages) and
trafilatura's own evaluation set (Apache-2.0 repository: about 990 pages with `with`/`without` snippets),
on which no rule was written: the check that the rules, written from AEB and WCXB failures, hold elsewhere.
Metrics are defined in benchmarks/metrics.py as the field reports them. cleanse's boilerplate models are never
trained on AEB pages (nor on any page of an AEB host); for WCXB, whose pages the shipped HTML model was trained
on, each page is cleaned by a model retrained without its host (5 folds grouped by host, training/
train_segments.py; the first run builds that data, a few minutes, then it is cached).
Writes benchmarks/results/extraction.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import statistics
import sys
import time
from multiprocessing.pool import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from metrics import aeb_page, aeb_scores, contains, normalise, word_f1  # noqa: E402

SYSTEMS = ("cleanse", "trafilatura", "trafilatura-precision", "justext", "boilerpy3")
HEAD = "cleanse-head"  # the title and standfirst, which cleanse records apart from the body
_WORKER: dict = {}
_WCXB_FOLDS: dict[str, int] = {}


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def _init_worker(fold_classifiers: dict | None = None) -> None:
    from cleanse import Cleaner
    from cleanse.segment_model import SegmentClassifier

    _WORKER["cleaner"] = Cleaner()
    text_model = SegmentClassifier.load("text")
    _WORKER["folds"] = {
        fold: Cleaner(segment_models={"html": classifier, "text": text_model})
        for fold, classifier in (fold_classifiers or {}).items()
    }


def run_systems(task: tuple) -> tuple[str, dict[str, str]]:
    """Every system's article text for one HTML page (cleanse's from the model of the page's fold, if any)."""
    key, html_path, url, *fold = task
    import logging

    import justext
    import trafilatura
    from boilerpy3 import extractors

    logging.getLogger("boilerpy3").setLevel(logging.CRITICAL)  # it logs a traceback for every page it gives up on

    html = _decode(Path(html_path))
    cleaner = _WORKER["folds"][fold[0]] if fold and fold[0] is not None else _WORKER["cleaner"]
    record = cleaner({"id": key, "html": html, "url": url})
    out = {"cleanse": record["text"], HEAD: "\n".join(record[field] or "" for field in ("title", "description"))}
    out["trafilatura"] = trafilatura.extract(html, include_comments=False) or ""
    out["trafilatura-precision"] = trafilatura.extract(html, include_comments=False, favor_precision=True) or ""
    try:
        paragraphs = justext.justext(html, justext.get_stoplist("English"), 50, 200, 0.1, 0.2, 0.2, 200, True)
        out["justext"] = " ".join(p.text for p in paragraphs if not p.is_boilerplate)
    except Exception:  # jusText raises on some pages; an empty answer is its result there
        out["justext"] = ""
    try:
        out["boilerpy3"] = extractors.ArticleExtractor().get_content(html) or ""
    except Exception:
        out["boilerpy3"] = ""
    return key, out


def clean_text(task: tuple[str, str]) -> tuple[str, str]:
    key, text = task
    return key, _WORKER["cleaner"]({"id": key, "text": text})["text"]


def aeb(data: Path, pool: Pool) -> dict:
    truth = json.loads((data / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    tasks = [(k, str(data / "aeb" / "html" / f"{k}.html.gz"), v["url"]) for k, v in sorted(truth.items())]
    outputs = dict(pool.imap(run_systems, tasks, chunksize=4))
    scores = {
        system: aeb_scores([aeb_page(truth[k]["articleBody"], outputs[k][system]) for k in sorted(truth)])
        for system in SYSTEMS
    }
    return {"pages": len(truth), "scores": scores, "outputs": outputs}


def wcxb_pages(data: Path) -> list[tuple[str, str, str, dict]]:
    pages = []
    for path in sorted((data / "wcxb-dev" / "ground-truth").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        html = data / "wcxb-dev" / "html" / f"{path.stem}.html.gz"
        if "url" in record and html.exists():
            pages.append((path.stem, str(html), record["url"], record["ground_truth"]))
    return pages


def wcxb_folds(pages: list[tuple[str, str, str, dict]]) -> tuple[dict[str, int], dict]:
    """The HTML segment classifier trained FOLDS times, each time without the hosts of one fold of WCXB pages
    (training/train_segments.py, same data and settings as the shipped model): page key -> fold, fold -> model."""
    from urllib.parse import urlsplit

    sys.path.insert(0, str(ROOT / "training"))
    import train_segments
    from sklearn.model_selection import GroupKFold

    from cleanse.segment_model import SegmentClassifier

    shipped = SegmentClassifier.load("html")
    if shipped.decision.keeps_everything:  # the shipped model does not run: nothing to cross-fit
        return {key: None for key, _, _, _ in pages}, {}
    hosts = [(urlsplit(url).hostname or key).lower().removeprefix("www.") for key, _, url, _ in pages]
    training = train_segments.training_pages("html")
    fold_of, classifiers = {}, {}
    for fold, (_, test) in enumerate(GroupKFold(n_splits=train_segments.FOLDS).split(pages, groups=hosts)):
        held_out = {hosts[i] for i in test}
        model = train_segments.fit([p for p in training if p.page.host not in held_out])
        classifiers[fold] = SegmentClassifier(model, shipped.decision, f"{shipped.name}-fold{fold}")
        fold_of.update({pages[i][0]: fold for i in test})
    return fold_of, classifiers


def snippets_of(gold: dict) -> tuple[list[str], list[str]]:
    """A page's `with` and `without` snippets that have any text (WCXB and trafilatura-eval share the form)."""
    return tuple([s for s in gold.get(kind) or [] if normalise(s)] for kind in ("with", "without"))


def wcxb(data: Path, pool: Pool) -> dict:
    pages = wcxb_pages(data)
    fold_of = _WCXB_FOLDS
    outputs = dict(pool.imap(run_systems, [(k, h, u, fold_of[k]) for k, h, u, _ in pages], chunksize=8))
    scores = {}
    for system in SYSTEMS:
        f1s, kept, with_total, leaked, without_total = [], 0, 0, 0, 0
        for key, _, _, truth in pages:
            text = outputs[key][system]
            f1s.append(word_f1(truth.get("main_content") or "", text))
            flat = normalise(text)
            with_, without = snippets_of(truth)
            kept += sum(contains(flat, s) for s in with_)
            leaked += sum(contains(flat, s) for s in without)
            with_total += len(with_)
            without_total += len(without)
        scores[system] = {
            "word_f1": statistics.mean(f1s),
            "with_kept": kept / with_total,
            "without_leaked": leaked / without_total,
            "without_leaked_count": leaked,
        }
    return {"pages": len(pages), "with_snippets": with_total, "without_snippets": without_total, "scores": scores}


def plain(data: Path, pool: Pool) -> dict:
    rows = [json.loads(line) for line in (data / "aeb" / "scrapinghub.plaintext.jsonl").open(encoding="utf-8")]
    cleaned = dict(pool.imap(clean_text, [(r["id"], r["page_text"]) for r in rows], chunksize=4))
    return {
        "pages": len(rows),
        "scores": {
            "cleanse": aeb_scores([aeb_page(r["gold_article_body"], cleaned[r["id"]]) for r in rows]),
            "no cleaning": aeb_scores([aeb_page(r["gold_article_body"], r["page_text"]) for r in rows]),
        },
    }


def teval_pages(data: Path) -> list[tuple[str, Path, dict]]:
    """(URL, page path, annotation) of each trafilatura-eval page whose file is there (plain or gzipped)."""
    evaldata = json.loads((data / "trafilatura-eval" / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in sorted(evaldata.items()):
        path = data / "trafilatura-eval" / "html" / item["file"]
        path = path if path.exists() else path.with_name(item["file"] + ".gz")
        if path.exists():
            pages.append((url, path, item))
    return pages


def trafilatura_eval(data: Path, pool: Pool) -> dict:
    """trafilatura's own evaluation set (about 990 pages, 44 % German): a `with` snippet found is a true
    positive, a `with` snippet missing a false negative, a `without` snippet found a false positive, pooled over
    pages, as trafilatura reports it. No rule was written from these pages, and the HTML segment model (which
    saw some of them) does not run, so for cleanse this set is held out."""
    tasks, snippets = [], {}
    for url, path, item in teval_pages(data):
        tasks.append((item["file"], str(path), url))
        snippets[item["file"]] = snippets_of(item)
    outputs = dict(pool.imap(run_systems, tasks, chunksize=8))
    scores = {}
    for system in SYSTEMS:
        tp = fn = fp = 0
        for key, (with_, without) in snippets.items():
            flat = normalise(outputs[key][system])
            found = sum(contains(flat, s) for s in with_)
            tp, fn, fp = tp + found, fn + len(with_) - found, fp + sum(contains(flat, s) for s in without)
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        scores[system] = {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall),
                          "with_kept": tp, "without_leaked": fp}  # fmt: skip
    scores["cleanse"]["with_in_title_or_standfirst"] = sum(
        not contains(normalise(outputs[key]["cleanse"]), s) and contains(normalise(outputs[key][HEAD]), s)
        for key, (with_, _) in snippets.items()
        for s in with_
    )
    return {
        "pages": len(tasks),
        "with_snippets": sum(len(w) for w, _ in snippets.values()),
        "without_snippets": sum(len(wo) for _, wo in snippets.values()),
        "scores": scores,
    }


def tail(data: Path, aeb_outputs: dict) -> dict:
    """Residual lines (trafilatura 2.0.0's non-article tail lines) removed, and gold body lines that trafilatura
    keeps but the system loses. Gold lines count once per page: a widget line the gold repeats ("BGR may receive
    a commission", ten times) is one line, found or lost once."""
    truth = json.loads((data / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    residual_pages = [json.loads(line) for line in (data / "aeb" / "trafilatura2.0.0_tail_residuals.jsonl").open()]
    scores = {}
    for system in ("cleanse", "trafilatura", "trafilatura-precision"):
        residual, removed, gold_in_trafilatura, lost = 0, 0, 0, 0
        for page in residual_pages:
            outputs = aeb_outputs[page["id"]]
            flat, reference = normalise(outputs[system]), normalise(outputs["trafilatura"])
            for line in page["tail_non_gold_lines"]:
                residual += 1
                removed += not contains(flat, line)
            for line in dict.fromkeys(normalise(line) for line in truth[page["id"]]["articleBody"].splitlines()):
                if line and contains(reference, line):
                    gold_in_trafilatura += 1
                    lost += not contains(flat, line)
        scores[system] = {
            "residual_lines": residual,
            "residual_removed": removed / residual,
            "gold_lines": gold_in_trafilatura,
            "gold_lines_lost": lost / gold_in_trafilatura,
        }
    return {"pages": len(residual_pages), "scores": scores}


def cost(data: Path) -> dict:
    """Time of trafilatura's extraction vs cleanse's boilerplate stage on its output, per page, one process."""
    from trafilatura import bare_extraction

    from cleanse import Cleaner
    from cleanse.extract import segments_of

    cleaner = Cleaner()
    truth = json.loads((data / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    ratios, extract_total, stage_total = [], 0.0, 0.0
    for key in sorted(truth):
        html = _decode(data / "aeb" / "html" / f"{key}.html.gz")
        start = time.perf_counter()
        document = bare_extraction(html, url=truth[key]["url"], with_metadata=True, include_comments=False)
        middle = time.perf_counter()
        extracted = segments_of(document)
        cleaner.separate(extracted, extracted.title, plain_text=False, url=truth[key]["url"])
        end = time.perf_counter()
        extract_total += middle - start
        stage_total += end - middle
        ratios.append((end - middle) / (middle - start))
    return {
        "pages": len(truth),
        "trafilatura_ms_per_page": 1000 * extract_total / len(truth),
        "boilerplate_stage_ms_per_page": 1000 * stage_total / len(truth),
        "total_ratio": stage_total / extract_total,
        "median_page_ratio": statistics.median(ratios),
    }


def markdown(results: dict) -> str:
    lines = []
    if "aeb" in results:
        lines += [
            "### AEB, HTML (181 pages, shingle F1)",
            "",
            "| system | precision | recall | F1 |",
            "|---|---|---|---|",
        ]
        for system, s in results["aeb"]["scores"].items():
            lines.append(f"| {system} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} |")
    if "wcxb" in results:
        r = results["wcxb"]
        lines += ["", f"### WCXB dev, articles ({r['pages']} pages)", "",
                  f"| system | word F1 | `with` kept ({r['with_snippets']}) "
                  f"| `without` leaked ({r['without_snippets']}) |",
                  "|---|---|---|---|"]  # fmt: skip
        for system, s in r["scores"].items():
            lines.append(f"| {system} | {s['word_f1']:.4f} | {s['with_kept']:.3f} | {s['without_leaked']:.3f} "
                         f"({s['without_leaked_count']}) |")  # fmt: skip
    if "plain" in results:
        lines += ["", "### AEB, full-page plain text (181 pages, shingle F1)", "",
                  "| system | precision | recall | F1 |", "|---|---|---|---|"]  # fmt: skip
        for system, s in results["plain"]["scores"].items():
            lines.append(f"| {system} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} |")
    if "tail" in results:
        lines += ["", f"### Tail residuals ({results['tail']['pages']} AEB pages)", "",
                  "| system | residual lines removed | gold body lines lost |", "|---|---|---|"]  # fmt: skip
        for system, s in results["tail"]["scores"].items():
            lines.append(f"| {system} | {s['residual_removed']:.3f} of {s['residual_lines']} | "
                         f"{s['gold_lines_lost']:.4f} of {s['gold_lines']} |")  # fmt: skip
    if "teval" in results:
        r = results["teval"]
        lines += ["", f"### trafilatura's evaluation set ({r['pages']} pages, snippets pooled)", "",
                  f"| system | precision | recall | F1 | `with` kept ({r['with_snippets']}) "
                  f"| `without` leaked ({r['without_snippets']}) |", "|---|---|---|---|---|---|"]  # fmt: skip
        for system, s in r["scores"].items():
            lines.append(f"| {system} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} | {s['with_kept']} "
                         f"| {s['without_leaked']} |")  # fmt: skip
        lines += ["", f"cleanse records the title and standfirst apart from the body (`title`, `description`): "
                      f"{r['scores']['cleanse']['with_in_title_or_standfirst']} of the `with` snippets it misses "
                      "stand there."]  # fmt: skip
    if "cost" in results:
        c = results["cost"]
        lines += ["", "### Cost of the boilerplate stage (AEB pages, one process)", "",
                  f"trafilatura extraction {c['trafilatura_ms_per_page']:.1f} ms/page; boilerplate stage "
                  f"{c['boilerplate_stage_ms_per_page']:.2f} ms/page: {c['total_ratio']:.1%} of trafilatura's time "
                  f"(median page {c['median_page_ratio']:.1%})."]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="aeb,wcxb,plain,tail,teval,cost")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "extraction.json")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    results: dict = {}
    classifiers = None
    if "wcxb" in wanted:
        fold_of, classifiers = wcxb_folds(wcxb_pages(args.data))
        _WCXB_FOLDS.update(fold_of)
    # spawn, not fork: the parent has trained models with OpenMP threads, and a forked child would deadlock
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.workers, initializer=_init_worker, initargs=(classifiers,)) as pool:
        if wanted & {"aeb", "tail"}:
            results["aeb"] = aeb(args.data, pool)
        if "wcxb" in wanted:
            results["wcxb"] = wcxb(args.data, pool)
        if "plain" in wanted:
            results["plain"] = plain(args.data, pool)
        if "teval" in wanted:
            results["teval"] = trafilatura_eval(args.data, pool)
    if "tail" in wanted:
        results["tail"] = tail(args.data, results["aeb"]["outputs"])
    if "cost" in wanted:
        results["cost"] = cost(args.data)
    if "aeb" in results:
        del results["aeb"]["outputs"]
        if "aeb" not in wanted:
            del results["aeb"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()

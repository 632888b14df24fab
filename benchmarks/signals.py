"""Signal agreement: do the editorial signals find what human annotators mark?

    python benchmarks/signals.py [--data ../shared/data/signals] [--out benchmarks/results/signals.json]

Every signal's value in a record comes with its evidence; this benchmark asks how often that evidence is what
people who annotated news text for the same thing marked. Three labelled sets (../shared/data/signals, see
its README for licences):

  1. Stop Clickbait (Chakraborty et al. 2016): 32,000 headlines, half of them clickbait. The title signals
     (clickbait_title, title_punctuation, title_capitals): how often each fires on clickbait and on other
     headlines, its precision and recall, on the half of the headlines the clickbait forms were written from
     and on the other half, held out. The clickbait headlines come from a handful of viral sites, so the label
     is partly their house style.
  2. PTC (Da San Martino et al. 2019, SemEval-2020 task 11): 446 news articles with 7,191 character spans of
     14 propaganda techniques, on its two splits apart. For each body signal: the share of its evidence spans
     that lie inside a technique span against the share of all words that do (lift above 1: the signal finds
     propaganda more often than chance would), and the technique it meets most; for the techniques a register
     signal is meant to catch (loaded language, name calling, exaggeration, doubt), the share of their spans
     that some signal's evidence reaches (recall). Words were added to the register lexicons from the spans of
     the training split; the development split is held out.
  3. BABE (Spinde et al. 2021): 3,673 news sentences labelled biased or not by experts, with the words that
     make them biased. For each register signal: how often it fires on biased and on other sentences and its
     precision; of its matches in biased sentences, the share that is one of the annotators' biased words.
     The writer-voice signals are also compared with the opinion label. Nothing was taken from BABE.

The signals are measured on each text as it is (one segment per line), not on a cleaned page: the evidence's
character spans are then the annotations' own. Prints Markdown tables (docs/signals-agreement.md holds the
last run) and writes benchmarks/results/signals.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanse.records import Segment  # noqa: E402
from cleanse.rules import load_rules  # noqa: E402
from cleanse.signals import DocumentView, SignalMeter  # noqa: E402

LANGUAGE = "en"
TITLE_SIGNALS = ("clickbait_title", "title_punctuation", "title_capitals")
#: Signals of register and voice: what a propaganda or bias annotator would mark, if anything.
REGISTER_SIGNALS = (
    "loaded_language", "sensational", "intensifiers", "certainty", "sweeping_generalisations", "conspiratorial",
    "slang_profanity", "exclamation", "shouting", "rhetorical_questions", "first_person", "second_person",
)  # fmt: skip
VOICE_SIGNALS = ("first_person", "second_person", "rhetorical_questions")
#: The PTC techniques a register signal is meant to catch, for recall.
TARGET_TECHNIQUES = ("Loaded_Language", "Name_Calling,Labeling", "Exaggeration,Minimisation", "Doubt")
OPINION = "Expresses writer’s opinion"
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")


def view_of(text: str, title: str | None = None) -> DocumentView:
    """A document of `text` as it is, one segment per line, so that evidence spans index `text` itself."""
    lines = list(_LINE.finditer(text)) or [None]
    segments = [Segment(i, m.group() if m else "") for i, m in enumerate(lines)]
    offsets = [m.start() if m else 0 for m in lines]
    return DocumentView(text, segments, offsets, title, None, None, [], len(text.split()))


class Measure:
    """The shipped signals, measured on plain texts and titles."""

    def __init__(self) -> None:
        self.meter = SignalMeter(load_rules())

    def spans(self, text: str, signals: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
        """Each signal's evidence spans in the body `text`."""
        measured = self.meter.measure(view_of(text), LANGUAGE)
        return {name: [e.span for e in measured[name].evidence if e.where == "text"] for name in signals}

    def title_fires(self, title: str, signals: Iterable[str]) -> dict[str, bool]:
        measured = self.meter.measure(view_of("", title), LANGUAGE)
        return {name: any(e.where == "title" for e in measured[name].evidence) for name in signals}


def ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def agreement(fires: list[bool], truth: list[bool]) -> dict:
    """How a yes/no signal agrees with a yes/no label: where it fires, its precision and recall."""
    hits = sum(f and t for f, t in zip(fires, truth, strict=True))
    positives, fired = sum(truth), sum(fires)
    return {
        "fires_on_positive": ratio(hits, positives),
        "fires_on_negative": ratio(fired - hits, len(truth) - positives),
        "precision": ratio(hits, fired),
        "recall": ratio(hits, positives),
        "fired": fired,
    }


def agreements(fires: list[dict[str, bool]], names: Iterable[str], truth: list[bool]) -> dict:
    """`agreement` of each of `names` (`fires`: for each item, whether each signal fired on it), and of any of
    them together."""
    out = {name: agreement([f[name] for f in fires], truth) for name in names}
    out["any of them"] = agreement([any(f[name] for name in out) for f in fires], truth)
    return out


def clickbait(data: Path, measure: Measure) -> dict:
    """The title signals on the Stop Clickbait headlines: on the half that the rules' headline forms were
    written from (looking at clickbait it missed) and on the other half, held out; a headline's half is fixed
    by its CRC-32."""
    with (data / "stop-clickbait" / "stop_clickbait.csv").open(encoding="utf-8", newline="") as handle:
        rows = [(row["headline"], row["label"] == "1") for row in csv.DictReader(handle)]
    halves = {}
    for half, parity in (("held_out", 1), ("written_from", 0)):
        chosen = [(h, label) for h, label in rows if zlib.crc32(h.encode("utf-8")) % 2 == parity]
        truth = [label for _, label in chosen]
        fires = [measure.title_fires(headline, TITLE_SIGNALS) for headline, _ in chosen]
        signals = agreements(fires, TITLE_SIGNALS, truth)
        halves[half] = {"headlines": len(chosen), "clickbait": sum(truth), "signals": signals}
    return halves


def partisan_titles(credibility: Path, measure: Measure) -> dict:
    """How often the title signals fire on BuzzFeed-Webis headlines of mainstream and of hyperpartisan pages."""
    rows = [json.loads(line) for line in (credibility / "buzzfeed-webis-2016.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if r.get("title")]
    out = {}
    for side in ("mainstream", "hyperpartisan"):
        titles = [r["title"] for r in rows if (r["orientation"] == "mainstream") == (side == "mainstream")]
        fires = [measure.title_fires(title, TITLE_SIGNALS) for title in titles]
        out[side] = {"titles": len(titles)} | {n: ratio(sum(f[n] for f in fires), len(titles)) for n in TITLE_SIGNALS}
    return out


def technique_at(length: int, spans: list[dict]) -> list[str | None]:
    """The technique marked at each character of a text (spans nest: the innermost one's, the shortest)."""
    marks: list[str | None] = [None] * length
    for span in sorted(spans, key=lambda s: s["start"] - s["end"]):
        marks[span["start"] : span["end"]] = [span["technique"]] * (span["end"] - span["start"])
    return marks


def overlaps(span: tuple[int, int], marked: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in marked)


def propaganda(data: Path, measure: Measure) -> dict:
    """The register signals against PTC's spans, on its two splits apart: words were added to the register
    lexicons from the spans of the training split (generic pejoratives and exaggerations that PTC's annotators
    marked more often than not), and the development split is held out."""
    return {
        split: propaganda_split(
            [json.loads(line) for line in (data / "propaganda-ptc" / f"ptc_{split}.jsonl").open(encoding="utf-8")],
            measure,
        )
        for split in ("dev", "train")
    }


def propaganda_split(articles: list[dict], measure: Measure) -> dict:
    words = words_inside = 0
    evidence: dict[str, Counter] = {name: Counter() for name in REGISTER_SIGNALS}
    found: dict[str, list[bool]] = {technique: [] for technique in TARGET_TECHNIQUES}
    for article in articles:
        text = article["text"]
        marks = technique_at(len(text), article["spans"])
        for word in _WORD.finditer(text):
            words += 1
            words_inside += marks[(word.start() + word.end()) // 2] is not None
        spans = measure.spans(text, REGISTER_SIGNALS)
        for name, matches in spans.items():
            for start, end in matches:
                evidence[name][marks[(start + end) // 2] or ""] += 1
        every_match = [span for matches in spans.values() for span in matches]
        for span in article["spans"]:
            if span["technique"] in found:
                found[span["technique"]].append(overlaps((span["start"], span["end"]), every_match))
    base = words_inside / words
    signals = {}
    for name, by_technique in evidence.items():
        total = sum(by_technique.values())
        share = ratio(total - by_technique[""], total)
        techniques = [(t, n) for t, n in by_technique.most_common() if t]
        signals[name] = {
            "matches": total,
            "inside_technique_span": share,
            "lift": ratio(share, base) if share is not None else None,
            "most_met_technique": techniques[0][0] if techniques else None,
        }
    recall = {
        technique: {"spans": len(hits), "reached": ratio(sum(hits), len(hits))} for technique, hits in found.items()
    }
    return {
        "articles": len(articles),
        "spans": sum(len(a["spans"]) for a in articles),
        "words_inside_technique_spans": round(base, 4),
        "signals": signals,
        "technique_recall": recall,
    }


def bias(data: Path, measure: Measure) -> dict:
    sentences = [json.loads(line) for line in (data / "media-bias-babe" / "babe_sg2.jsonl").open(encoding="utf-8")]
    sentences = [s for s in sentences if s["label_bias"] in ("Biased", "Non-biased")]
    truth = [s["label_bias"] == "Biased" for s in sentences]
    opinion = [s["label_opinion"] == OPINION for s in sentences]
    spans = [measure.spans(s["text"], REGISTER_SIGNALS) for s in sentences]
    fires = [{name: bool(found[name]) for name in REGISTER_SIGNALS} for found in spans]
    signals = agreements(fires, REGISTER_SIGNALS, truth)
    for name in REGISTER_SIGNALS:
        matched = biased_word = 0
        for sentence, found, is_biased in zip(sentences, spans, truth, strict=True):
            if not is_biased:
                continue
            marked = {word.lower() for word in sentence["biased_words"]}
            for start, end in found[name]:
                matched += 1
                biased_word += any(w.lower() in marked for w in _WORD.findall(sentence["text"][start:end]))
        signals[name]["matches_on_a_biased_word"] = ratio(biased_word, matched)
    voice = agreements(fires, VOICE_SIGNALS, opinion)
    return {
        "sentences": len(sentences),
        "biased": sum(truth),
        "opinion": sum(opinion),
        "signals": signals,
        "voice_vs_opinion": voice,
    }


def _cell(value: float | None) -> str:
    """A share as a percentage, with a decimal below 10 % and above 90 % (where 0.4 % and 0 % differ, and
    99.6 % and 100 %)."""
    if value is None:
        return "–"
    return f"{value:.1%}" if value < 0.1 or value > 0.9 else f"{value:.0%}"


def _agreement_row(name: str, s: dict) -> str:
    return (
        f"| {name} | {_cell(s['fires_on_positive'])} | {_cell(s['fires_on_negative'])} | "
        f"{_cell(s['precision'])} | {_cell(s['recall'])} |"
    )


def markdown(results: dict) -> str:
    lines: list[str] = []
    for half, about in (("held_out", "held out"), ("written_from", "the half the headline forms were written from")):
        c = results["clickbait"][half]
        lines += [
            f"### Title signals against Stop Clickbait, {about} ({c['headlines']:,} headlines, "
            f"{c['clickbait']:,} clickbait)",
            "",
            "| signal | fires on clickbait | fires on other headlines | precision | recall |",
            "|---|---|---|---|---|",
        ]
        lines += [_agreement_row(name, s) for name, s in c["signals"].items()]
        lines.append("")
    t = results["partisan_titles"]
    lines += [
        "Title signals on BuzzFeed-Webis headlines (share of titles where each fires):",
        "",
        "| pages | titles | " + " | ".join(TITLE_SIGNALS) + " |",
        "|---|---|" + "---|" * len(TITLE_SIGNALS),
    ]
    for side, row in t.items():
        lines.append(f"| {side} | {row['titles']} | " + " | ".join(_cell(row[n]) for n in TITLE_SIGNALS) + " |")
    for split, about in (("dev", "development split, held out"), ("train", "training split, lexicons drawn from")):
        p = results["propaganda"][split]
        lines += [
            "",
            f"### Register signals against PTC propaganda spans, {about} ({p['articles']} articles, "
            f"{p['spans']:,} spans)",
            "",
            f"{p['words_inside_technique_spans']:.0%} of all words lie inside a technique span: a signal whose "
            "matches did so as often would find propaganda by chance (lift 1).",
            "",
            "| signal | matches | inside a technique span | lift | technique met most |",
            "|---|---|---|---|---|",
        ]
        for name, s in p["signals"].items():
            lift = "–" if s["lift"] is None else f"{s['lift']:.2f}"
            lines.append(
                f"| {name} | {s['matches']} | {_cell(s['inside_technique_span'])} | {lift} | "
                f"{s['most_met_technique'] or '–'} |"
            )
        lines += ["", "| technique | spans | reached by some register signal's evidence |", "|---|---|---|"]
        for technique, r in p["technique_recall"].items():
            lines.append(f"| {technique} | {r['spans']} | {_cell(r['reached'])} |")
    b = results["bias"]
    lines += [
        "",
        f"### Register signals against BABE ({b['sentences']:,} sentences, {b['biased']:,} biased)",
        "",
        "| signal | fires on biased | fires on other sentences | precision | recall | its matches on an annotated "
        "biased word |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        _agreement_row(name, s) + f" {_cell(s.get('matches_on_a_biased_word'))} |" for name, s in b["signals"].items()
    ]
    lines += [
        "",
        f"Writer-voice signals against BABE's opinion label ({b['opinion']:,} sentences express the writer's opinion):",
        "",
        "| signal | fires on opinion | fires on other sentences | precision | recall |",
        "|---|---|---|---|---|",
    ]
    lines += [_agreement_row(name, s) for name, s in b["voice_vs_opinion"].items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "signals")
    parser.add_argument("--credibility", type=Path, default=ROOT.parent / "shared" / "data" / "credibility")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "signals.json")
    args = parser.parse_args()
    measure = Measure()
    results = {
        "clickbait": clickbait(args.data, measure),
        "partisan_titles": partisan_titles(args.credibility, measure),
        "propaganda": propaganda(args.data, measure),
        "bias": bias(args.data, measure),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()

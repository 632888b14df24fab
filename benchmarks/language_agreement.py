"""Language identification agreement: cleanse's fast path against langdetect's own code, text by text.

    python benchmarks/language_agreement.py [--data ../shared/data/extraction]

cleanse runs langdetect's method on langdetect's profiles in another way (cleanse/language.py); this checks
that the answer is the same as langdetect's own `Detector` gives, seeded alike, and its probability the same
to within `TOLERANCE` (langdetect normalises at every convergence check, cleanse once per several), on real
texts in many languages: the AEB gold bodies and full-page texts, the WCXB gold texts, the trafilatura-eval
`with` snippets of each page joined, and the seeds. Prints the number of texts, of disagreements (each with
its two answers), of probabilities equal to the last bit, of probabilities that differ as output records
give them (4 decimals), and the largest difference; exits 1 if there is any disagreement.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanse.language import detect_language, langdetect_answer, langdetect_factory  # noqa: E402

TOLERANCE = 1e-12


def texts(data: Path) -> list[str]:
    aeb = json.loads((data / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    found = [v["articleBody"] for _, v in sorted(aeb.items())]
    with (data / "aeb" / "scrapinghub.plaintext.jsonl").open(encoding="utf-8") as lines:
        found += [json.loads(line)["page_text"] for line in lines]
    for path in sorted((data / "wcxb-dev" / "ground-truth").glob("*.json")):
        found.append(json.loads(path.read_text(encoding="utf-8"))["ground_truth"].get("main_content") or "")
    evaldata = json.loads((data / "trafilatura-eval" / "evaldata.json").read_text(encoding="utf-8"))
    found += [" ".join(item.get("with") or []) for _, item in sorted(evaldata.items())]
    found += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction")
    args = parser.parse_args()
    factory = langdetect_factory()
    corpus = texts(args.data)
    disagreements = exact = rounded_differ = 0
    largest = 0.0
    for text in corpus:
        (ours, our_p), (theirs, their_p) = detect_language(text), langdetect_answer(factory, text)
        largest = max(largest, abs(our_p - their_p))
        exact += our_p == their_p
        rounded_differ += round(our_p, 4) != round(their_p, 4)
        if ours != theirs or abs(our_p - their_p) > TOLERANCE:
            disagreements += 1
            print(f"differs: cleanse {ours, our_p}, langdetect {theirs, their_p}: {text[:60]!r}")
    print(
        f"{len(corpus)} texts, {disagreements} disagreements; probabilities equal to the last bit {exact}, "
        f"different to 4 decimals {rounded_differ}, largest difference {largest:.2g}"
    )
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()

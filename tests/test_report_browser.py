"""The seeds' audit report opened in headless Chromium: what a reader sees, checked on the screenshot.

Headless Chromium paints nothing when it has scrolled, so each window is tall enough for the whole page.
Chromium comes from Debian's `chromium` package (`.ci/run` installs it when it is missing); without it these
tests skip and say so.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from headless import run_chromium
from png import count_colour, read_png

from cleanse.bands import BANDS

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SCALE = 0.5  # screenshots at half size: the page lays out at full width, the PNG is quick to read
POSITIVE_TINT, NEGATIVE_TINT, REMOVED_TINT = "#CCE3F5", "#FADDC2", "#F3ECEC"  # from cleanse/report_assets


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if binary is None:
        pytest.skip(
            "headless Chromium is not installed, so the report cannot be rendered "
            "(Debian: apt-get install chromium; .ci/run installs it where it can)"
        )
    return binary


def screenshot(chromium: str, tmp_path: Path, url: str, height: int):
    path = tmp_path / "shot.png"
    run_chromium(
        chromium,
        tmp_path / "profile",
        url,
        f"--screenshot={path}",
        f"--window-size=1280,{height}",
        f"--force-device-scale-factor={SCALE}",
    )
    return read_png(path)


def test_the_overview_ranks_the_seed_sources_on_screen(chromium, seed_report, tmp_path):
    url = seed_report.as_uri()
    dom = run_chromium(chromium, tmp_path / "profile", url, "--dump-dom")
    ranked = re.findall(r'<tr class="band-\w+" data-band="(\w+)" data-name="([^"]*)"', dom)
    assert [name for _, name in ranked][-1] == "unnamed site with a stopbitburning.com banner"
    assert {band for band, _ in ranked} == {"low", "mixed", "high"}
    assert "5 of 5 sources shown" in dom  # the script ran
    assert dom.count('class="doc collapsed"') == 5  # documents start folded

    image = screenshot(chromium, tmp_path, url, 1000)
    overview = image[: int(700 * SCALE)]
    for band in BANDS:  # each band's marker is painted in the overview
        assert count_colour(overview, band.colour) > 8, f"no {band.name} marker on screen"
    assert count_colour(image, POSITIVE_TINT) == 0  # no document is open yet


def test_a_document_opens_with_its_evidence_highlighted_and_boilerplate_struck_through(chromium, seed_report, tmp_path):
    page = seed_report.read_text(encoding="utf-8")
    anchor = re.search(r'href="#(d\d+-\d+)">Putin offers rare earth minerals deal', page)
    assert anchor, "the StopBitBurning seed has no document view"
    url = f"{seed_report.as_uri()}#{anchor.group(1)}"
    dom = run_chromium(chromium, tmp_path / "profile", url, "--dump-dom")
    assert f'class="doc" id="{anchor.group(1)}"' in dom and dom.count('class="doc collapsed"') == 4
    assert '<body class="focused">' in dom  # only its source is shown under the overview

    image = screenshot(chromium, tmp_path, url, 5000)
    assert count_colour(image[: int(700 * SCALE)], BANDS[0].colour) > 8, "overview not painted: page too tall?"
    assert count_colour(image, POSITIVE_TINT) > 2000  # quotes, attribution, citations
    assert count_colour(image, NEGATIVE_TINT) > 100  # the legend's unsound-practice key and flagged signals
    assert count_colour(image, REMOVED_TINT) > 2000  # the donation banner and share lists, struck through


def printed_pages(chromium: str, tmp_path: Path, page: Path) -> int:
    pdf = tmp_path / f"{page.stem}.pdf"
    run_chromium(chromium, tmp_path / "profile", page.as_uri(), f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    return max(int(n) for n in re.findall(rb"/Count (\d+)", pdf.read_bytes()))


def test_printing_unfolds_every_document(chromium, seed_report, tmp_path):
    kept_folded = tmp_path / "kept-folded.html"  # the same page, but folded documents stay folded on paper
    override = "<style>.collapsed > .content { display: none !important; }</style>\n</head>"
    kept_folded.write_text(seed_report.read_text(encoding="utf-8").replace("</head>", override))
    folded, printed = printed_pages(chromium, tmp_path, kept_folded), printed_pages(chromium, tmp_path, seed_report)
    assert printed >= folded + 5  # five documents of 400–1,300 words each come out on paper


PROBE = """<script>
const table = document.querySelector("table.overview");
const names = () => Array.from(table.tBodies[0].rows).filter((r) => !r.hidden).map((r) => r.dataset.name);
const header = (label) => Array.from(table.tHead.querySelectorAll("button")).find((b) => b.textContent === label);
const seen = {};
header("score").click();
seen.ascending = names();
header("score").click();
seen.descending = names();
document.querySelector("[data-band-filter=mixed]").click();
seen.withoutMixed = names();
const filter = document.getElementById("source-filter");
filter.value = "BANNER";
filter.dispatchEvent(new Event("input"));
seen.filtered = names();
seen.sections = Array.from(document.querySelectorAll("section.source")).filter((s) => !s.hidden).length;
seen.count = document.getElementById("source-count").textContent;
const probe = document.createElement("pre");
probe.id = "probe";
probe.textContent = JSON.stringify(seen);
document.body.append(probe);
</script>
</body>"""


def test_the_overview_sorts_and_filters_in_the_page(chromium, seed_report, tmp_path):
    probed = tmp_path / "probed.html"
    probed.write_text(seed_report.read_text(encoding="utf-8").replace("</body>", PROBE))
    dom = run_chromium(chromium, tmp_path / "profile", probed.as_uri(), "--dump-dom")
    seen = json.loads(html.unescape(re.search(r'<pre id="probe">(.*?)</pre>', dom).group(1)))
    ranked = re.findall(r'<tr class="band-(\w+)" data-band="\w+" data-name="([^"]*)"', seed_report.read_text())
    assert seen["descending"] == [name for _, name in ranked]
    assert seen["ascending"] == seen["descending"][::-1]
    assert seen["withoutMixed"] == [name for band, name in ranked if band != "mixed"]
    assert seen["filtered"] == ["unnamed site with a stopbitburning.com banner"]
    assert seen["sections"] == 1 and seen["count"] == "1 of 5 sources shown"

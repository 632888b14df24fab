"""Each boilerplate rule catches its *kind* of boilerplate as other sites write it, and leaves reporting alone."""

from __future__ import annotations

import pytest

from cleanse.boilerplate import BoilerplateRemover
from cleanse.records import Segment
from cleanse.rules import load_rules

RULES = load_rules()
REMOVER = BoilerplateRemover(RULES)


def label_of(text: str) -> str | None:
    """The label a lone segment gets, placed in the middle of an ordinary article."""
    body = [
        "The minister said the talks would resume next week after a pause of several months in the capital.",
        "Officials from both sides met on Monday to agree on an agenda for the next round of negotiations.",
        "Observers expect the first session to focus on trade, with security questions left for later.",
        "A spokesperson for the delegation declined to comment on the timetable when asked on Tuesday.",
    ]
    segments = [Segment(i, t) for i, t in enumerate([*body[:2], text, *body[2:]])]
    REMOVER.apply(segments)
    labels = [s.role for s in segments if s.reason is not None]
    return labels[0] if labels else None


def removed_from(texts: list[str]) -> list[Segment]:
    segments = [Segment(i, t) for i, t in enumerate(texts)]
    REMOVER.apply(segments)
    return [s for s in segments if s.reason is not None]


OTHER_SITES = {
    "promo": [
        "Call us today at (555) 123-4567 for a free estimate.",
        "Fresh meals, no prep. Order now and get 20% off your first box!",
        "Get a free quote from our licensed team.",
        "Looking for affordable moving services in Austin?",
        "Need a reliable plumber in Denver?",
        "We provide 24/7 limousine service to all major airports.",
        "Stay tuned to Example News for the latest updates.",
        "We will keep you posted as the story develops.",
        "Example Trading Masterclass: double your returns in 30 days. Learn more",
        "New: the Example Pro app for iOS — Download now",
        "Advertisement",
    ],
    "donation": [
        "Please donate today to keep our journalism free.",
        "Example Daily is reader-supported. Your donation helps us fight censorship.",
        "Support independent journalism: become a member today.",
        "Free Speech Watch needs your support and donations to keep going.",
    ],
    "share": [
        "Facebook Twitter WhatsApp Email",
        "Share on Telegram",
        "Truth Social",
        "Follow us on Instagram and TikTok for more.",
        "Share it with a friend",
    ],
    "newsletter": [
        "Sign up for our free daily newsletter.",
        "Get the best stories delivered to your inbox every morning.",
    ],
    "related": ["Read more: How the deal came together", "You may also like"],
    "artifact": [
        "image001.png",
        "![](https://example.com/a.jpg)",
        '[caption id="attachment_1" align="aligncenter"]',
    ],
}

REPORTING = [
    "The court's order now requires the agency to publish its data.",
    "Scientists hope to learn more about the virus as samples arrive.",
    "Campaign finance records show the group raised $2 million in donations last year, mostly from small donors "
    "in the Midwest and the South, according to filings reviewed by reporters.",
    "Officials said they would keep the public informed about the evacuation.",
    "Are you better off than you were four years ago, the senator asked the crowd.",
    "Twitter and Facebook removed the accounts on Tuesday after a review of their activity.",
    "Sign up for the Disney+ bundle using the same email as your Hulu account, the company advised subscribers.",
    "The photograph, taken in 1962, shows the harbour before the new port was built.",
    "He called the offer a trap and said Kyiv would not sign it without security guarantees.",
]


@pytest.mark.parametrize(("label", "text"), [(label, text) for label, texts in OTHER_SITES.items() for text in texts])
def test_other_sites_boilerplate_is_removed_with_its_label(label, text):
    assert label_of(text) == label


@pytest.mark.parametrize("text", REPORTING)
def test_reporting_that_shares_words_with_boilerplate_is_kept(text):
    assert label_of(text) is None


def test_short_fragments_enclosed_by_one_advert_are_part_of_it():
    texts = [
        "The minister said the talks would resume next week after a pause of several months.",
        "Are you looking for reliable transfers to the airport?",
        "Downtown",
        "Harbour terminal",
        "and more.",
        "Book now at example.com or call 555-010-0199!",
    ]
    removed = removed_from(texts)
    assert [(r.index, r.role) for r in removed] == [(i, "promo") for i in range(1, 6)]
    assert [r.reason for r in removed][1:4] == ["context.enclosed"] * 3


def test_fragments_between_different_kinds_of_boilerplate_stay():
    texts = ["Please donate today.", "Downtown", "Facebook Twitter"]
    assert [r.index for r in removed_from(texts)] == [0, 2]

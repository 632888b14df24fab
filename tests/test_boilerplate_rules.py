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
        "Visit Example Daily's homepage for more stories.",
        "Join our Free Fantasy League Challenge",
        "Listen: http://po.st/ExamplePodcast",
        "How to listen to The Example Podcast",
        "We will keep you posted as the story develops.",
        "Example Trading Masterclass: double your returns in 30 days. Learn more",
        "New: the Example Pro app for iOS — Download now",
        "Advertisement",
        "Advertisement: The new book on machine learning, out now",
        "Begin learning a new language with Babbel!",
        "Compare new car deals with leasing.com",
        "Get $10 off your first order with code: SAVE10",
        "Shop our website templates (use code BBPODCAST for 10% off!)",
        "CLICK HERE TO GET THE FOX NEWS APP",
        "Download the Example News app for breaking news alerts.",
        "Stop searching. Talk to our social media marketing experts",
        "Fill out the form for a complimentary solar quote with a custom layout.",
        "If you need advice on your project, do not hesitate to reach out to Example Software.",
        "See price at Amazon",
        "Check price on Walmart",
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
        "Catch up on our coverage of tech and tools, and follow us on Facebook and TikTok to stay up to date.",
        "Join the Facebook group – https://www.facebook.com/ExampleGroup",
        "If you liked this article, please consider liking, sharing, and subscribing to the Example Digest.",
        "Love the Example Newsletter? Tell your friends and get rewards.",
    ],
    "newsletter": [
        "Sign up for our free daily newsletter.",
        "Get the best stories delivered to your inbox every morning.",
        "Get Cycling Weekly delivered through your letterbox every month. 12 issues for £19.99.",
        "Join our mailing list",
        "Join Medium for free to get updates from this writer.",
        "Get the latest news about our live events and online courses.",
    ],
    "related": [
        "Read more: How the deal came together",
        "Also on example.com Ministers meet to discuss the budget",
        "Follow AP's full coverage of the elections at https://apnews.com/elections",
        "More AP football: https://apnews.com/football",
    ],
    "credit": [
        "(Reporting by Jane Roe; editing by John Doe)",
        "Additional reporting by Ann Lee in Berlin",
        "Maria Garcia contributed reporting from Madrid.",
        "Email the author at jane@example.com or follow her @janeroe.",
        "Have a tip? Sam Poe may be reached at spoe@example.com.",
        "Kimber Streams is a writer who has been covering laptops since 2014.",
        "Independent Technology Writer",
        "jane.doe@example.com twitter.com/janedoe",
    ],
    "legal": [
        "Copyright 2024 Example Media. All rights reserved.",
        "This copy is for your personal, non-commercial use only.",
        "Disclaimer: The views expressed by contributors are their own.",
        "NOTE: The above is an excerpt from a career guide by Tom Miller. It is reprinted here with permission.",
        "Securities and advisory services are: NOT FDIC INSURED · NOT BANK GUARANTEED · MAY LOSE VALUE",
        "By entering your email, you agree to receive Example emails and agree to our Terms and Privacy Policy.",
        "Terms of submitting this form: I agree that Example University may contact me by email or phone.",
    ],
    "comments": [
        "You must log in to post a comment.",
        "We'd like to hear what you think about this article.",
        "Note: we are temporarily moderating all comments to deal with spam.",
    ],
    "interface": [
        "Thanks for signing up!",
        "There was an error processing your subscription.",
        "Sorry!",
        "This article is exclusive to STAT+ subscribers",
    ],
    "disclosure": [
        "If you buy something through this post, Example may get a share of the sale.",
        "As an Amazon Associate we earn from qualifying purchases.",
        "We may be compensated when you click on a link or when an application is approved.",
    ],
    "metadata": ["Updated at 1:23 p.m.", "2019-11-19T08:57:40+01:00", "5 min read", "Posted by admin on March 3"],
    "caption": ["The skyline at dusk. (Photo: Getty Images)", "Image credit: NASA", "Feature image by Example Studio"],
    "nav": [
        "Tags: politics, economy",
        "Back to blog",
        "Table of Contents",
        "Home News Sport",
        "Next article: Go Wins 2010 Bossie Award Previous article: Share Memory By Communicating",
    ],
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
    "Please review our user guide or call 615-252-8530 if you need assistance with the application.",
    "The five companies join nine others selected by the agency in November, bringing the total to fourteen.",
    "This article was originally published by Futurism. Read the original article for the full interview.",
    "The newsletter is edited by Nathan Benaich, who writes it every month for investors and researchers.",
    "Begin with step one: remove the old filter and rinse the housing with warm water.",
    "The ministry is a partner of the programme, the spokesman said on Friday afternoon.",
    "He called the offer a trap and said Kyiv would not sign it without security guarantees.",
    "The company said the app would get an update next month to fix the login problem.",
    "In a statement released on March 3, 2019, the minister said:",
    "Let's say you get a quote from two moving companies and compare their prices.",
    "Good design works with the code, not against it, so developers should plan with designers.",
    "Crush took about a minute to come up with the code below:",
    "Agriculture is a major contributor to greenhouse gas emissions, particularly from livestock.",
    "Keep the following items in mind when making videos: short clips, captions and a clear hook.",
    "Cover image: artist's impression of the lighting installation at the festival.",
    "Patients should not hesitate to contact their doctor if the symptoms return.",
    "The next article in the series looks at the budget.",
    "Shoppers can see prices at Walmart rise again this winter, analysts said on Monday.",
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


def test_a_related_heading_after_the_article_takes_the_short_headlines_under_it():
    article = [
        f"Paragraph {i} of the story reports what the officials said about the plan on Tuesday." for i in range(6)
    ]
    texts = [*article, "You may also like", "Who will win the cup?", "Ten places to visit"]
    assert [(r.index, r.reason) for r in removed_from(texts)] == [
        (6, "related.section-start"),
        (7, "related.section-start+section"),
        (8, "related.section-start+section"),
    ]


def test_a_section_start_in_a_menu_above_the_article_takes_nothing_with_it():
    story = [f"Paragraph {i} of the story reports what the officials said about the plan on Tuesday." for i in range(6)]
    texts = ["Home", "Sport", "Trending", *story]
    removed = removed_from(texts)
    assert all(r.index < 3 for r in removed)


def test_a_long_block_repeating_the_article_is_a_duplicate_but_a_repeated_paragraph_is_not():
    paragraphs = [" ".join(f"word{i}_{j}" for j in range(30)) for i in range(4)]
    repeated_block = " ".join(paragraphs[:3])
    removed = removed_from([*paragraphs, repeated_block, paragraphs[1]])
    assert [(r.index, r.role) for r in removed] == [(4, "duplicate")]


def test_a_related_list_ends_where_long_prose_resumes():
    article = [
        f"Paragraph {i} of the story reports what the officials said about the plan on Tuesday." for i in range(8)
    ]
    closing = "The officials said " + "they would meet again next month to settle the remaining questions " * 4
    texts = [*article, "Related stories", "Who will win the cup?", closing]
    assert [r.index for r in removed_from(texts)] == [8, 9]


def test_a_related_list_on_a_page_ends_where_unlinked_prose_resumes():
    """On an HTML page the teasers under "Don't miss" are links; the short paragraphs after them that link
    nowhere are the article going on (as one tabloid places the heading mid-story)."""
    article = [Segment(i, f"Paragraph {i} of the story reports what the officials said on Tuesday.", "paragraph")
               for i in range(6)]  # fmt: skip
    teasers = Segment(7, "China furious at Macron [INSIGHT] Lakers vs Nets: final decision [VIDEO]", "paragraph",
                      links=0.9)  # fmt: skip
    resumed = Segment(8, "Protesters believe the bill is an example of the city's eroding autonomy.", "paragraph")
    segments = [*article, Segment(6, "DON'T MISS", "paragraph"), teasers, resumed]
    REMOVER.apply(segments)
    assert [(s.index, s.reason) for s in segments if s.reason] == [
        (6, "related.section-start"),
        (7, "related.section-start+section"),
    ]


def test_comments_take_everything_after_them():
    article = [
        f"Paragraph {i} of the story reports what the officials said about the plan on Tuesday." for i in range(8)
    ]
    comment = "I think " + "this plan is a terrible idea and the officials should reconsider it " * 4
    texts = [*article, "Top Rated Comments", comment, comment + " Agreed."]
    assert [(r.index, r.role) for r in removed_from(texts)] == [(8, "comments"), (9, "comments"), (10, "comments")]


def _article(paragraphs: int = 8) -> list[str]:
    return [
        f"Paragraph {i} of the story reports what the officials said about the plan on Tuesday."
        for i in range(paragraphs)
    ]


def test_a_comment_header_with_its_date_starts_the_comments():
    texts = [*_article(), "Alex on September 17, 2018 at 6:34 am said:", "Great piece, thanks.", "Sam says: agreed"]
    assert [(r.index, r.role) for r in removed_from(texts)] == [(8, "comments"), (9, "comments"), (10, "comments")]


def _thread(headers: list[str]) -> list[str]:
    comment = "I think " + "this plan is a terrible idea and the officials should reconsider it " * 3
    return [line for header in headers for line in (header, comment)]


def test_a_promotion_code_is_the_news_on_a_page_about_deals():
    texts = [*_article(4), 'Use code "50OFF699" to get it at Dell for $799.99', *_article(2)]
    on_a_deals_page, elsewhere = (
        [Segment(i, t) for i, t in enumerate(texts)],
        [Segment(i, t) for i, t in enumerate(texts)],
    )
    REMOVER.apply(on_a_deals_page, "Daily Deals: More Black Friday Deals Are Live")
    REMOVER.apply(elsewhere, "Dell XPS 13 review: the best laptop of the year")
    assert [s.reason for s in on_a_deals_page if s.reason] == []
    assert [s.reason for s in elsewhere if s.reason] == ["promo.code"]


def test_a_comment_thread_longer_than_the_article_is_comments_from_its_first_header():
    headers = ["thelastchargersfan says:", "joetoronto says:", "2 days ago at 07:52 am", "Bob. Just Bob. says:"]
    texts = [*_article(2), *_thread(headers)]
    removed = removed_from(texts)
    assert [r.index for r in removed] == list(range(2, len(texts)))
    assert {r.role for r in removed} == {"comments"} and removed[0].reason == "comments.thread"


def test_two_comment_headers_are_not_a_thread():
    texts = [*_article(2), *_thread(["thelastchargersfan says:", "joetoronto says:"])]
    assert removed_from(texts) == []


def test_comment_headers_in_a_widget_above_the_article_take_nothing_with_it():
    texts = [*_thread(["ann says:", "bob says:", "cy says:"])[:5], *_article(12)]
    assert [r.index for r in removed_from(texts)] == [0, 2, 4]


def test_a_newsletter_box_after_the_article_takes_the_headline_list_after_it():
    related = [
        Segment(0, "Gronk may have found his true calling", kind="item"),
        Segment(0, "Pats place Olszewski on IR", kind="item"),
    ]
    segments = [
        Segment(i, t) for i, t in enumerate([*_article(), "Sign up for our daily newsletter", "Thanks for signing up!"])
    ]
    for item in related:
        item.index = len(segments)
        segments.append(item)
    REMOVER.apply(segments)
    assert [(s.index, s.reason) for s in segments if s.reason] == [
        (8, "newsletter.sign-up"),
        (9, "interface.message"),
        (10, "context.tail"),
        (11, "context.tail"),
    ]


def _after_the_article(items: list[tuple[str, float]]) -> list[Segment]:
    segments = [Segment(i, t) for i, t in enumerate(_article())]
    for text, links in items:
        segments.append(Segment(len(segments), text, kind="item", links=links))
    REMOVER.apply(segments)
    return segments


def test_a_run_of_links_to_the_end_of_the_page_is_its_tail():
    headlines = [("Gronk may have found his true calling", 1.0), ("Pats place Olszewski on IR", 1.0),
                 ("2 hours ago", 0.0), ("Week 12 power rankings", 1.0)]  # fmt: skip
    segments = _after_the_article(headlines)
    assert [(s.index, s.reason) for s in segments if s.reason] == [(i, "context.tail") for i in range(8, 12)]


def test_a_list_of_linked_teasers_to_the_end_of_the_page_is_its_tail():
    teasers = [(f"Headline {n} of another story Its dek says what the story is about", 0.4) for n in range(4)]
    segments = _after_the_article(teasers)
    assert [(s.index, s.reason) for s in segments if s.reason] == [(i, "context.tail") for i in range(8, 12)]


def test_a_list_of_references_with_their_addresses_is_not_a_tail():
    references = [(f"Doe, J. (2024). Study {n}. Journal. https://example.org/study-{n}", 0.4) for n in range(4)]
    assert not [s for s in _after_the_article(references) if s.reason]


def test_the_tail_leaves_the_articles_numbered_notes():
    items = [("Pochettino fired by Tottenham", 1.0), ("[2] Alarm safety goals", 0.0),
             ("Week 12 power rankings", 1.0), ("Messi accepts challenge from Cavani", 1.0)]  # fmt: skip
    segments = _after_the_article(items)
    assert [(s.index, s.reason) for s in segments if s.reason] == [(8, "context.tail"), (10, "context.tail"),
                                                                    (11, "context.tail")]  # fmt: skip


def test_a_linked_step_in_a_list_that_goes_on_in_words_does_not_start_a_tail():
    steps = [
        ("Pop the question to your wedding party", 1.0),
        ("Book band and/or DJ for reception", 0.2),
        ("Research and reserve accommodations for guests", 0.0),
        ("Order your wedding dress early", 0.1),
    ]
    assert not [s for s in _after_the_article(steps) if s.reason]


def test_the_tail_starts_at_the_first_boilerplate_and_never_takes_long_text():
    long_closing = "The officials said " + "they would meet again next month to settle the remaining questions " * 4
    texts = [*_article(), "(Sources: CNN, Reuters)", long_closing.rstrip() + " FoxNews.com", "Follow us on Twitter"]
    assert [r.index for r in removed_from(texts)] == [10]


def test_a_segment_counts_the_words_of_its_text_as_it_is_now():
    segment = Segment(0, "three words here")
    assert segment.words == 3
    segment.text = f"{segment.text} and two"  # a hard-wrapped line joined to the next
    assert segment.words == 5


def test_every_shipped_rule_that_matches_a_segment_is_found_in_one_pass_over_the_document():
    body = [
        "The minister said the talks would resume next week after a pause of several months in the capital.",
        "Observers expect the first session to focus on trade, with security questions left for later.",
    ]
    assert not REMOVER.patterns.may_occur_in(body)
    matched = [text for texts in OTHER_SITES.values() for text in texts if REMOVER.patterns.matching(text)]
    assert len(matched) >= 10
    for text in matched:
        assert REMOVER.patterns.may_occur_in([body[0], text, body[1]])
        assert REMOVER.patterns.may_occur_in([text, *body])

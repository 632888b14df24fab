"""Headline signals: the forms of clickbait a reader recognises are measured, news headlines are left alone.

The forms are those of the Stop Clickbait headlines (Chakraborty et al. 2016; `benchmarks/signals.py` measures
them on the half of that set they were not written from); the headlines here are made up.
"""

from __future__ import annotations

import pytest

BODY = "The council said on Tuesday it would repair the bridge by autumn, according to its engineers. " * 3

CLICKBAIT = [
    pytest.param("21 Photos That Prove Cats Are Secretly Plotting", id="a numbered list"),
    pytest.param("7 Of The Craziest Things Said At The Awards", id="a numbered list of superlatives"),
    pytest.param("The 19 Best Autocorrect Fails Of The Year", id="the N best"),
    pytest.param("Which Breakfast Cereal Are You", id="a quiz"),
    pytest.param("Can You Guess The Movie From One Frame", id="a guessing game"),
    pytest.param("What Does Your Coffee Order Say About You", id="what it says about you"),
    pytest.param("This Tiny Kitchen Will Change How You Cook", id="this ... will"),
    pytest.param("These Dogs Are Having The Best Day Ever", id="these ... are"),
    pytest.param("Here's Why Everyone Is Talking About This Sandwich", id="here's why"),
    pytest.param("This Recipe Will Make You Drool", id="will make you"),
    pytest.param("The Senator Just Dropped A Bombshell On The Committee", id="just dropped"),
    pytest.param("You Won't Believe What Happened Next", id="you won't believe"),
    pytest.param("Only True Fans Will Understand These Jokes", id="only ... will understand"),
]
NEWS = [
    pytest.param("30 people die in bombing in northwestern Pakistan", id="a count of victims"),
    pytest.param("13 Big Equity Firms Pledge to Invest Responsibly", id="a count of firms"),
    pytest.param("2016 election: turnout rises in swing states", id="a year"),
    pytest.param("Council approves budget for bridge repairs", id="a plain report"),
    pytest.param("Tax law changes and your guide to filing", id="and your"),
    pytest.param("What the jobs report means for interest rates", id="a what-headline that informs"),
]


def clickbait(cleaner, title: str) -> int:
    out = cleaner({"id": "t", "title": title, "text": BODY})
    return out["signals"]["clickbait_title"]["count"]


@pytest.mark.parametrize("title", CLICKBAIT)
def test_a_clickbait_headline_is_measured(cleaner, title):
    assert clickbait(cleaner, title) >= 1


@pytest.mark.parametrize("title", NEWS)
def test_a_news_headline_is_not_clickbait(cleaner, title):
    assert clickbait(cleaner, title) == 0

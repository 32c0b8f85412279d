"""Offer windows: which parts of a long text are scored on their own, and that padding cannot hide an offer."""

from __future__ import annotations

import pytest

from pantau.models import Action
from pantau.pipeline import Pipeline
from pantau.windows import MIN_WORDS, WORDS_AROUND, offer_windows

REVIEW = ("tempatnya nyaman banget, pelayanan ramah, makanannya enak dan harganya terjangkau, parkiran luas "
          "dan bersih, cocok buat makan bareng keluarga di akhir pekan")
CHAT = "lagi santai di kos, tadi makan bakso sama temen terus pulang naik motor, besok kuliah pagi"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.default()


def _windows(pipeline: Pipeline, text: str) -> list[str]:
    prepared = pipeline.prepare(text)
    return [text[w.start:w.end] for w in offer_windows(prepared.normalized, prepared.signals)]


def test_a_window_is_the_words_around_the_offer_in_the_original_text(pipeline: Pipeline) -> None:
    text = f"{REVIEW}. Ready 0p3n 𝐁𝐎 kak, ST 300. {CHAT}"
    (window,) = _windows(pipeline, text)
    assert "0p3n 𝐁𝐎" in window and "ST 300" in window
    # the words from the first offer term to the last ("Ready 0p3n 𝐁𝐎 kak, ST": five) and WORDS_AROUND either side
    assert len(window.split()) == 5 + 2 * WORDS_AROUND
    assert not text.startswith(window) and not text.endswith(window)


def test_far_apart_offer_terms_get_one_window_each(pipeline: Pipeline) -> None:
    text = f"open bo malam ini. {REVIEW}. {CHAT}. vcs 100k"
    windows = _windows(pipeline, text)
    assert len(windows) == 2
    assert "open bo" in windows[0] and "vcs 100k" in windows[1]


@pytest.mark.parametrize("text", [
    pytest.param("open bo ST 300 include room wa aja kak", id="short"),
    pytest.param(f"{REVIEW}. {CHAT}", id="no-offer-term"),
    pytest.param(f"{REVIEW}, bukan open BO ya. {CHAT}", id="negated-offer"),
    pytest.param(f"{REVIEW} {CHAT} #openbo #bojogja", id="offer-only-in-hashtags"),
    pytest.param(f"berita hari ini: {REVIEW}, polisi menangkap mucikari open BO. {CHAT}", id="news-quotes-offers"),
])
def test_no_windows(pipeline: Pipeline, text: str) -> None:
    assert _windows(pipeline, text) == []


def test_every_window_is_long_text_only() -> None:
    assert MIN_WORDS > 2 * WORDS_AROUND + 1  # a text that is one window long is scored whole


@pytest.mark.parametrize("offer", [
    "Open VCS sama jual video, no tipu, testi ada, bayar ke ewallet",
    "ready bo kak, ST 300 LT 800 include room, wa aja",
    "vcs 100k full durasi, dm aja",
])
def test_ordinary_text_around_an_offer_does_not_dilute_it(pipeline: Pipeline, offer: str) -> None:
    """Before windows the model scored these near 0 (e.g. 0.003 for the first after a restaurant review)."""
    verdict = pipeline.run("x", f"{REVIEW}. {offer}. {CHAT}")
    assert verdict.decision.solicitation, verdict.assessment
    assert verdict.decision.action in (Action.HIDE_NEARBY, Action.REVIEW)
    assert "offer_scored_apart_from_surrounding_text" in verdict.decision.reasons
    start, end = verdict.assessment.window or (0, 0)
    assert offer.split(",")[0] in verdict.normalized.original[start:end]


def test_a_short_status_is_scored_whole(pipeline: Pipeline) -> None:
    verdict = pipeline.run("x", "open bo ST 300 include room")
    assert verdict.assessment.window is None
    assert "offer_scored_apart_from_surrounding_text" not in verdict.decision.reasons


def test_the_versions_name_the_windows(pipeline: Pipeline) -> None:
    assert "+windows@" in pipeline.run("x", "halo").model_version


@pytest.mark.parametrize("vouch", ["bukan penipu", "no spam", "anti scam"])
def test_an_ad_vouching_for_itself_is_no_warning(pipeline: Pipeline, vouch: str) -> None:
    """Warning and report words turn windows off and send offers to review (they quote ads); an ad's
    own "bukan penipu" or "no spam" had done both, and a padded offer fell to allow (0.02)."""
    verdict = pipeline.run("x", f"{REVIEW}. Open VCS sama jual video, bayar ke ewallet, {vouch}. {CHAT}")
    assert verdict.decision.solicitation and verdict.decision.action is Action.HIDE_NEARBY, verdict.assessment

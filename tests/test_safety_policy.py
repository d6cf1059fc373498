"""kneetui's safety policy on its own: what each pain score and answer leads to, in the words shown.

Every front end shows what this policy says (tests/test_safety_scenarios.py drives them all);
these tests pin the decisions and the sentences at their one source, fast enough to run for
every change mutation testing makes.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from kneetui.engine.recording import SafetyAnswers
from kneetui.engine.safety import (
    ARTICLE_RULE,
    FROM_ARTICLE,
    HIGH_START_PAIN,
    KNEETUI_READING,
    MAX_TOLERANCE,
    REASON_AFTER_STOP,
    REASON_HIGH_PAIN,
    REASON_PAIN_WORSE,
    REASON_QUIT,
    REASON_RED_FLAGS,
    SEEK_HELP_RULE,
    ConcernKind,
    PreviousStop,
    SafetyPolicy,
    check_pain,
    describe_stop,
    is_advised_stop,
    is_pain_stop,
)

CALM = SafetyAnswers(pain=2, swollen=False, unstable=False)


def test_any_rise_stops_by_default_and_the_same_or_less_carries_on():
    policy = SafetyPolicy()
    assert policy.judge(3, 3, "after Wall slides").stop is False
    assert policy.judge(3, 2, "after Wall slides").stop is False
    verdict = policy.judge(3, 4, "after Wall slides")
    assert verdict.stop is True
    assert verdict.reason == "pain rose from 3 to 4 after Wall slides"


def test_a_carry_on_verdict_gives_no_reason():
    assert SafetyPolicy().judge(5, 5, "at the end").reason == ""


@pytest.mark.parametrize("tolerance", [1, MAX_TOLERANCE])
def test_a_tolerance_allows_exactly_that_rise_and_stops_one_above(tolerance):
    policy = SafetyPolicy(tolerance)
    assert policy.judge(2, 2 + tolerance, "after the squeeze").stop is False
    assert policy.judge(2, 3 + tolerance, "after the squeeze").stop is True


def test_without_a_score_before_the_session_no_rise_can_be_seen():
    assert SafetyPolicy().judge(None, 10, "at the end").stop is False


@pytest.mark.parametrize("pain", [-1, 11, 2.5, True, "3", None])
def test_a_pain_score_that_is_not_a_whole_number_from_0_to_10_is_refused(pain):
    with pytest.raises(ValueError, match=r"pain is a whole number from 0 to 10, not "):
        check_pain(pain)
    with pytest.raises(ValueError, match="pain is a whole number"):
        SafetyPolicy().judge(2, pain, "after Wall slides")


@pytest.mark.parametrize("pain", [0, 10])
def test_the_ends_of_the_scale_are_scores(pain):
    check_pain(pain)
    assert SafetyPolicy().judge(pain, pain, "at the end").stop is False


@pytest.mark.parametrize("tolerance", [-1, MAX_TOLERANCE + 1, 1.0, "1", None])
def test_a_tolerance_outside_zero_to_two_cannot_be_set(tolerance):
    with pytest.raises(ValueError, match="pain tolerance") as raised:
        SafetyPolicy(tolerance)
    assert str(raised.value) == f"the pain tolerance is a whole number from 0 to 2, not {tolerance!r}"


@pytest.mark.parametrize("tolerance", [0, MAX_TOLERANCE])
def test_the_widest_and_the_narrowest_tolerance_can_be_set(tolerance):
    assert SafetyPolicy(tolerance).tolerance == tolerance


def test_the_rule_shown_says_whose_rule_it_is():
    assert SafetyPolicy().rule_text() == "Stops at any rise above your starting pain (the article's rule)."
    assert SafetyPolicy(1).rule_text() == (
        "Stops at a rise of more than 1 above your starting pain: a tolerance your physiotherapist set "
        "(kneetui's reading; the article's rule is any rise)."
    )


def test_each_pain_check_reminds_of_the_starting_score_and_the_rule():
    policy = SafetyPolicy(2)
    assert policy.check_reminder(4) == f"You started at 4. {policy.rule_text()}"
    assert policy.check_reminder(None) == "If the pain is worse than before the session, press ! to stop."


def test_calm_answers_raise_no_concern_and_need_no_choice():
    advice = SafetyPolicy().assess_start(CALM)
    assert advice.concerns == ()
    assert advice.needs_choice is False
    assert advice.stop_reason == ""
    assert advice.answers == CALM


@pytest.mark.parametrize(
    ("swollen", "unstable", "found"),
    [(True, False, "swelling"), (False, True, "instability"), (True, True, "swelling and instability")],
)
def test_swelling_or_instability_advises_a_professional_in_the_articles_words(swollen, unstable, found):
    advice = SafetyPolicy().assess_start(SafetyAnswers(pain=1, swollen=swollen, unstable=unstable))
    assert advice.needs_choice is True
    (concern,) = advice.concerns
    assert concern.kind is ConcernKind.RED_FLAGS
    assert concern.text == f"You report {found}. {SEEK_HELP_RULE} Stopping here is the advice."
    assert concern.source == FROM_ARTICLE
    assert advice.stop_reason == REASON_RED_FLAGS


def test_a_start_just_below_the_high_score_raises_no_concern():
    advice = SafetyPolicy().assess_start(SafetyAnswers(pain=HIGH_START_PAIN - 1, swollen=False, unstable=False))
    assert advice.concerns == ()


def test_a_high_start_is_kneetuis_reading_and_says_so():
    advice = SafetyPolicy().assess_start(SafetyAnswers(pain=HIGH_START_PAIN, swollen=False, unstable=False))
    (concern,) = advice.concerns
    assert concern.kind is ConcernKind.HIGH_PAIN
    assert concern.source == KNEETUI_READING
    assert concern.stop_reason == REASON_HIGH_PAIN
    assert concern.text == (
        f"Your pain is 7 of 10 before you start. {SEEK_HELP_RULE} kneetui asks before starting from 7 of 10 "
        "(kneetui's reading)."
    )


@pytest.mark.parametrize(("pain", "tolerance", "unseen"), [(9, 0, False), (10, 0, True), (8, 1, False), (8, 2, True)])
def test_a_start_so_high_that_no_rise_can_show_says_to_press_the_key(pain, tolerance, unseen):
    advice = SafetyPolicy(tolerance).assess_start(SafetyAnswers(pain=pain, swollen=False, unstable=False))
    warning = (
        " At this score the rule may not be able to see a rise on the 0–10 scale: press ! the moment it gets worse."
    )
    assert advice.concerns[0].text.endswith(warning) is unseen
    assert advice.concerns[0].text.endswith("(kneetui's reading)." + (warning if unseen else ""))


def test_a_start_after_a_stop_recalls_the_date_and_the_reason():
    at = datetime(2026, 3, 4, 12, 0).timestamp()
    advice = SafetyPolicy().assess_start(CALM, PreviousStop("pain rose from 2 to 4 after Wall slides", at))
    (concern,) = advice.concerns
    assert concern.kind is ConcernKind.AFTER_STOP
    assert concern.source == FROM_ARTICLE
    assert concern.text == (
        "Your last session, on 04 Mar 2026, ended with the advice to consult a healthcare professional "
        f"(pain rose from 2 to 4 after Wall slides). {ARTICLE_RULE}"
    )
    assert advice.stop_reason == REASON_AFTER_STOP


def test_every_concern_is_listed_the_last_stop_first_and_all_are_noted_when_going_on():
    answers = SafetyAnswers(pain=8, swollen=True, unstable=False)
    advice = SafetyPolicy().assess_start(answers, PreviousStop(REASON_PAIN_WORSE, 0.0))
    assert [concern.kind for concern in advice.concerns] == [
        ConcernKind.AFTER_STOP,
        ConcernKind.RED_FLAGS,
        ConcernKind.HIGH_PAIN,
    ]
    assert advice.stop_reason == REASON_AFTER_STOP
    assert advice.note_for_going_on() == (
        "went on after the advice to stop: after a stop; swelling or instability; high pain"
    )


def test_answers_with_a_pain_score_off_the_scale_are_refused_before_any_advice():
    with pytest.raises(ValueError, match="pain is a whole number"):
        SafetyPolicy().assess_start(SafetyAnswers(pain=11, swollen=False, unstable=False))


@pytest.mark.parametrize(
    ("reason", "pain", "advised"),
    [
        (REASON_PAIN_WORSE, True, True),
        ("pain rose from 2 to 3 after Wall slides", True, True),
        (REASON_RED_FLAGS, False, True),
        (REASON_HIGH_PAIN, False, True),
        (REASON_AFTER_STOP, False, True),
        (REASON_QUIT, False, False),
        ("the plug-in's screen failed", False, False),
        (None, False, False),
    ],
)
def test_which_recorded_stops_were_for_pain_and_which_came_with_advice(reason, pain, advised):
    assert is_pain_stop(reason) is pain
    assert is_advised_stop(reason) is advised


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        (None, ""),
        (REASON_PAIN_WORSE, "The session stopped because you said the pain got worse."),
        (
            "pain rose from 2 to 3 after Wall slides",
            "The session stopped because the pain rose from 2 to 3 after Wall slides.",
        ),
        (REASON_RED_FLAGS, "You chose to stop and have your knee evaluated first."),
        (REASON_HIGH_PAIN, "You chose not to start with your pain this high."),
        (REASON_AFTER_STOP, "You chose not to start before a professional has seen your knee."),
        (REASON_QUIT, "You ended the session early. What you did is kept."),
        ("the app closed", "The session ended early (the app closed). What you did is kept."),
    ],
)
def test_each_stop_reason_is_told_to_the_person_in_one_sentence(reason, sentence):
    assert describe_stop(reason) == sentence

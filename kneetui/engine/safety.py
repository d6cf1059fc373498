"""kneetui's safety policy: the one place that decides what pain, swelling and instability lead to.

Every front end (the full-screen session, ``guide --plain``, a plug-in's screen
inside kneetui's frame) shows what this module says and collects the answers;
none of them decides anything on its own. The rule is the source article's:

    "If you experience increased pain during or after exercises, it is crucial
    to stop immediately and consult a healthcare professional."

So by default any rise above the pain before the session, at any check
including the one at the end, stops the session with that advice. A person
whose physiotherapist allows a small rise may set a tolerance of up to
:data:`MAX_TOLERANCE`; the rule can never be switched off.

What is kneetui's own reading rather than the article's (the score from which
a start counts as high, the tolerance) is marked as such wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kneetui.engine.recording import SafetyAnswers

#: The article's rule, word for word.
ARTICLE_RULE = (
    "If you experience increased pain during or after exercises, it is crucial to stop immediately "
    "and consult a healthcare professional."
)
#: What the person reads when the rule stops a session.
STOP_ADVICE = (
    "Stop now and consult a healthcare professional, such as a physiotherapist, "
    "who can reassess your knee and adjust the plan."
)
#: The article's advice on when to seek professional help, word for word.
SEEK_HELP_RULE = (
    "Professional medical evaluation is recommended if your knee pain persists despite home exercises, "
    "worsens, or is accompanied by swelling or instability."
)
#: The widest tolerance a setting may allow; 0 is the article's rule.
MAX_TOLERANCE = 2
#: From this starting score kneetui asks before a session starts (kneetui's reading, not the article's).
HIGH_START_PAIN = 7

#: Marks shown beside advice, so a person and their physiotherapist can tell the article from kneetui.
FROM_ARTICLE = "the article"
KNEETUI_READING = "kneetui's reading"

# Stop reasons, as recorded in the history.
REASON_PAIN_WORSE = "pain worse"
REASON_RED_FLAGS = "advised a professional evaluation"
REASON_HIGH_PAIN = "pain high at the start"
REASON_AFTER_STOP = "stopped last time"
REASON_QUIT = "quit"
_PAIN_REASONS = (REASON_PAIN_WORSE, "pain rose")
_START_REASONS = (REASON_RED_FLAGS, REASON_HIGH_PAIN, REASON_AFTER_STOP)
_ADVISED_REASONS = (*_PAIN_REASONS, *_START_REASONS)


def is_pain_stop(reason: str | None) -> bool:
    """Whether a recorded stop reason means the pain got worse."""
    return reason is not None and reason.startswith(_PAIN_REASONS)


def is_advised_stop(reason: str | None) -> bool:
    """Whether a recorded stop came with the advice to consult a professional."""
    return reason is not None and reason.startswith(_ADVISED_REASONS)


def is_start_advice(reason: str | None) -> bool:
    """Whether a recorded stop was the advice given before starting (red flags, high pain, a stop last time)."""
    return reason is not None and reason.startswith(_START_REASONS)


def describe_stop(reason: str | None) -> str:
    """One sentence, for the person, on why a session ended early."""
    if reason is None:
        return ""
    if reason == REASON_PAIN_WORSE:
        return "The session stopped because you said the pain got worse."
    if reason.startswith("pain rose"):
        return f"The session stopped because the {reason}."
    if reason == REASON_RED_FLAGS:
        return "You chose to stop and have your knee evaluated first."
    if reason == REASON_HIGH_PAIN:
        return "You chose not to start with your pain this high."
    if reason == REASON_AFTER_STOP:
        return "You chose not to start before a professional has seen your knee."
    if reason == REASON_QUIT:
        return "You ended the session early. What you did is kept."
    return f"The session ended early ({reason}). What you did is kept."


def pain_rise_reason(before: int, now: int, where: str) -> str:
    """The recorded reason for a stop by the rule, e.g. 'pain rose from 2 to 3 after Wall slides'."""
    return f"pain rose from {before} to {now} {where}"


class StartChoice(StrEnum):
    """What the person chooses when kneetui advises not to start. Stopping is the default."""

    STOP = "stop"
    GO_ON = "go on"


#: The words of each choice, the same in every front end.
CHOICE_LABELS = {
    StartChoice.STOP: "Stop here and have the knee evaluated",
    StartChoice.GO_ON: "Go on anyway (my own choice; it is recorded)",
}
#: Said, and recorded, when the person goes on after the advice to stop.
GOING_ON_NOTE = (
    "You chose to go on after the advice to stop. This is your own decision, not the article's advice; "
    "it is recorded. Press ! at once if the pain gets worse."
)


class ConcernKind(StrEnum):
    RED_FLAGS = "swelling or instability"
    HIGH_PAIN = "high pain"
    AFTER_STOP = "after a stop"


@dataclass(frozen=True)
class Concern:
    """One reason to advise against starting, with where the advice comes from."""

    kind: ConcernKind
    text: str
    source: str
    stop_reason: str


@dataclass(frozen=True)
class PreviousStop:
    """The last session, when it ended with the advice to consult a professional."""

    reason: str
    at: float


@dataclass(frozen=True)
class StartAdvice:
    """What kneetui advises after the checks before a session."""

    answers: SafetyAnswers
    concerns: tuple[Concern, ...]

    @property
    def needs_choice(self) -> bool:
        """True when the person must choose between stopping (the default) and going on."""
        return bool(self.concerns)

    @property
    def stop_reason(self) -> str:
        return self.concerns[0].stop_reason if self.concerns else ""

    def note_for_going_on(self) -> str:
        """What the history keeps when the person goes on anyway."""
        return "went on after the advice to stop: " + "; ".join(concern.kind for concern in self.concerns)


@dataclass(frozen=True)
class PainVerdict:
    """What a pain score at a check leads to."""

    stop: bool
    reason: str = ""


class SafetyPolicy:
    """Decides, from the person's answers, when a session may start and when it must stop."""

    def __init__(self, tolerance: int = 0) -> None:
        if not isinstance(tolerance, int) or not 0 <= tolerance <= MAX_TOLERANCE:
            raise ValueError(f"the pain tolerance is a whole number from 0 to {MAX_TOLERANCE}, not {tolerance!r}")
        self.tolerance = tolerance

    # The rule

    def rule_text(self) -> str:
        """The rule in force, as one line a person reads during a session."""
        if self.tolerance == 0:
            return f"Stops at any rise above your starting pain ({FROM_ARTICLE}'s rule)."
        return (
            f"Stops at a rise of more than {self.tolerance} above your starting pain: a tolerance your "
            f"physiotherapist set ({KNEETUI_READING}; the article's rule is any rise)."
        )

    def check_reminder(self, pain_before: int | None) -> str:
        """The line shown at every pain check: the starting score and the rule."""
        if pain_before is None:
            return "If the pain is worse than before the session, press ! to stop."
        return f"You started at {pain_before}. {self.rule_text()}"

    def judge(self, pain_before: int | None, pain_now: int, where: str) -> PainVerdict:
        """Whether ``pain_now`` (0–10) at the check ``where`` stops the session."""
        check_pain(pain_now)
        if pain_before is not None and pain_now - pain_before > self.tolerance:
            return PainVerdict(True, pain_rise_reason(pain_before, pain_now, where))
        return PainVerdict(False)

    # Before a session

    def assess_start(self, answers: SafetyAnswers, previous_stop: PreviousStop | None = None) -> StartAdvice:
        """The concerns that make kneetui advise against starting; none means go ahead."""
        check_pain(answers.pain)
        concerns: list[Concern] = []
        if previous_stop is not None:
            when = datetime.fromtimestamp(previous_stop.at).strftime("%d %b %Y")
            concerns.append(
                Concern(
                    ConcernKind.AFTER_STOP,
                    f"Your last session, on {when}, ended with the advice to consult a healthcare professional "
                    f"({previous_stop.reason}). {ARTICLE_RULE}",
                    FROM_ARTICLE,
                    REASON_AFTER_STOP,
                )
            )
        if answers.advised_professional:
            found = " and ".join(
                word for word, yes in (("swelling", answers.swollen), ("instability", answers.unstable)) if yes
            )
            concerns.append(
                Concern(
                    ConcernKind.RED_FLAGS,
                    f"You report {found}. {SEEK_HELP_RULE} Stopping here is the advice.",
                    FROM_ARTICLE,
                    REASON_RED_FLAGS,
                )
            )
        if answers.pain >= HIGH_START_PAIN:
            unseen = (
                " At this score the rule may not be able to see a rise on the 0–10 scale: press ! the moment "
                "it gets worse."
                if answers.pain + self.tolerance >= 10
                else ""
            )
            concerns.append(
                Concern(
                    ConcernKind.HIGH_PAIN,
                    f"Your pain is {answers.pain} of 10 before you start. {SEEK_HELP_RULE} kneetui asks before "
                    f"starting from {HIGH_START_PAIN} of 10 ({KNEETUI_READING}).{unseen}",
                    KNEETUI_READING,
                    REASON_HIGH_PAIN,
                )
            )
        return StartAdvice(answers, tuple(concerns))


def check_pain(pain: object) -> None:
    """Raise ValueError unless ``pain`` is a whole number from 0 to 10."""
    if not isinstance(pain, int) or isinstance(pain, bool) or not 0 <= pain <= 10:
        raise ValueError(f"pain is a whole number from 0 to 10, not {pain!r}")

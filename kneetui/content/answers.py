"""Everything a person can look up offline (FAQ, Learn topics, ergonomic aids) as one searchable list."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kneetui.content.catalog import Catalog
from kneetui.content.model import Aid, FaqEntry, Topic
from kneetui.content.search import Field, SearchIndex


class AnswerKind(StrEnum):
    FAQ = "faq"
    LEARN = "learn"
    AID = "aid"


#: How each kind is labelled beside its title; FAQ answers need no label on the FAQ screen.
KIND_LABELS = {AnswerKind.FAQ: "FAQ", AnswerKind.LEARN: "Learn", AnswerKind.AID: "Aid"}


@dataclass(frozen=True)
class Answer:
    """One thing a search can find: a title, the text under it, and what it came from."""

    kind: AnswerKind
    id: str
    title: str
    text: str
    keywords: tuple[str, ...] = ()


def answers_in(catalog: Catalog) -> list[Answer]:
    """The FAQ first, then Learn, then the aids, each in the catalog's order."""
    return (
        [_from_faq(entry) for entry in catalog.faq]
        + [_from_topic(topic) for topic in catalog.topics]
        + [_from_aid(aid) for aid in catalog.aids]
    )


def answer_index(catalog: Catalog) -> SearchIndex[Answer]:
    """A search over every answer: a title and keywords count twice what the text does."""
    return SearchIndex(
        answers_in(catalog),
        lambda answer: (Field(answer.title, 2.0), Field(" ".join(answer.keywords), 2.0), Field(answer.text, 1.0)),
    )


def _from_faq(entry: FaqEntry) -> Answer:
    return Answer(AnswerKind.FAQ, entry.id, entry.question, entry.answer, entry.keywords)


def _from_topic(topic: Topic) -> Answer:
    return Answer(AnswerKind.LEARN, topic.id, topic.title, "\n".join(topic.paragraphs), topic.keywords)


def _from_aid(aid: Aid) -> Answer:
    text = "\n".join([aid.what_it_does, *aid.advice])
    return Answer(AnswerKind.AID, aid.id, aid.name, text, aid.keywords)

"""Command palette (Ctrl+P): jump to any exercise, FAQ entry, topic or aid by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


class ContentCommands(Provider):
    """Offers every exercise, FAQ entry, topic and aid the plug-ins contributed."""

    def _targets(self) -> list[tuple[str, str, Callable[[], None]]]:
        app = self.app
        catalog = app.catalog  # type: ignore[attr-defined]
        open_section = app.action_open  # type: ignore[attr-defined]
        targets: list[tuple[str, str, Callable[[], None]]] = []
        for exercise in catalog.exercises:
            targets.append(
                (
                    f"Exercise: {exercise.name}",
                    exercise.summary,
                    partial(open_section, "exercise", exercise_id=exercise.id),
                )
            )
        for entry in catalog.faq:
            targets.append((f"FAQ: {entry.question}", "Open in the FAQ", partial(open_section, "faq", faq_id=entry.id)))
        for topic in catalog.topics:
            targets.append(
                (f"Learn: {topic.title}", str(topic.kind), partial(open_section, "learn", topic_id=topic.id))
            )
        for aid in catalog.aids:
            targets.append((f"Aid: {aid.name}", "Ergonomic aids", partial(open_section, "aids", aid_id=aid.id)))
        return targets

    async def discover(self) -> Hits:
        for title, help_text, run in self._targets():
            yield DiscoveryHit(with_help(Content(title), help_text), run, text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._targets():
            score = matcher.match(title)
            if score > 0:
                # Plug-in text: highlight the match but never parse it as markup.
                yield Hit(score, with_help(matcher.highlight(title), help_text), run, text=title)


def with_help(prompt: Content, help_text: str) -> Content:
    """The prompt with its help line below it, both literal.

    Textual parses a hit's ``help`` as markup, and an exercise summary is a
    plug-in's text ('[link=...' there stops the palette), so the help line is
    built here instead, styled as Textual styles its own.
    """
    return Content("\n").join([prompt, Content.styled(help_text, "$text-muted")])

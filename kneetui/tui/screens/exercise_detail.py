"""One exercise: steps, dosage, benefits, cautions, sources and its drawing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kneetui.tui.literal import bullets, heading, labelled, numbered
from kneetui.tui.screens.base import SectionScreen
from kneetui.tui.widgets.exercise_drawing import ExerciseDrawing


class ExerciseDetailScreen(SectionScreen):
    """Everything about one exercise, with a key to start guiding it."""

    SECTION_TITLE = "Exercise"
    DEFAULT_CSS = """
    ExerciseDetailScreen #detail-row { height: auto; }
    ExerciseDetailScreen #facts { width: 1fr; height: auto; }
    ExerciseDetailScreen ExerciseDrawing { width: auto; margin-left: 2; }
    ExerciseDetailScreen.-narrow #detail-row { layout: vertical; }
    ExerciseDetailScreen.-narrow ExerciseDrawing { margin-left: 0; }
    """
    BINDINGS = [Binding("g", "guide", "Guide this exercise")]

    def __init__(self, exercise_id: str) -> None:
        super().__init__()
        self.exercise_id = exercise_id

    def compose_body(self) -> ComposeResult:
        catalog = self.app.catalog
        exercise = catalog.exercise(self.exercise_id)
        with VerticalScroll(classes="section-body"):
            if exercise is None:
                yield Static(f"No exercise has the id {self.exercise_id!r}.", markup=False)
                return
            with Horizontal(id="detail-row"):
                facts = [
                    heading(exercise.name),
                    Content(exercise.summary),
                    Content(""),
                    labelled("Dosage", exercise.dosage.describe()),
                    labelled("Category", str(exercise.category)),
                    labelled("From plug-in", catalog.owner_of("exercises", exercise.id)),
                ]
                if exercise.suits_acute:
                    facts.insert(-1, labelled("Suits the acute phase", "yes"))
                yield Static(Content("\n").join(facts), id="facts")
                yield ExerciseDrawing(exercise.drawing, animate=self.app.animate_drawings)
            yield Static(heading("How to do it"))
            yield Static(numbered(exercise.steps), classes="item")
            yield Static(heading("Why it helps"))
            yield Static(Content(exercise.benefits), classes="item")
            if exercise.cautions:
                yield Static(heading("Take care"))
                yield Static(bullets(exercise.cautions), classes="item")
            citations = [
                source.citation + (f" ({source.publisher})" if source.publisher else "")
                for source in map(catalog.source, exercise.source_ids)
                if source
            ]
            if citations:
                yield Static(heading("Sources"))
                yield Static(bullets(citations), classes="item")
            yield Static(Content.assemble(("Press g to be guided through this exercise.", "bold")))

    def on_mount(self) -> None:
        super().on_mount()
        exercise = self.app.catalog.exercise(self.exercise_id)
        if exercise is not None:
            self.sub_title = exercise.name

    def action_guide(self) -> None:
        if self.app.catalog.exercise(self.exercise_id) is not None:
            self.app.action_guide_exercise(self.exercise_id)

"""One exercise: steps, dosage, benefits, cautions, sources and its drawing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kneetui.content.model import Exercise
from kneetui.tui.hanging import Hanging
from kneetui.tui.literal import bullets, heading, labelled
from kneetui.tui.provenance import ProvenanceLegend, marked, marked_lines
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
                yield Static(Content("\n").join(self.facts(exercise)), id="facts")
                yield ExerciseDrawing(exercise.drawing, animate=self.app.animate_drawings)
            yield Static(heading("How to do it"))
            yield Static(Hanging(marked_lines(exercise.steps, numbered=True)), classes="item")
            yield Static(heading("Why it helps"))
            yield Static(Hanging(marked(exercise.benefits, exercise.provenance)), classes="item")
            if exercise.cautions:
                yield Static(heading("Take care"))
                yield Static(Hanging(marked_lines(exercise.cautions)), classes="item")
            citations = [
                source.citation + (f" ({source.publisher})" if source.publisher else "")
                for source in map(catalog.source, exercise.source_ids)
                if source
            ]
            if citations:
                yield Static(heading("Sources"))
                yield Static(Hanging(bullets(citations)), classes="item")
            yield Static(Content.assemble(("Press g to be guided through this exercise.", "bold")))
        if exercise is not None:
            yield ProvenanceLegend(exercise.provenances())

    def facts(self, exercise: Exercise) -> list[Content]:
        """The lines beside the drawing: what it is, where it comes from, how much, and whose it is."""
        dosage = exercise.dosage
        facts = [
            heading(exercise.name),
            Content(exercise.summary),
            Content(""),
            labelled("Where from", "").append(marked(exercise.provenance.meaning, exercise.provenance)),
            labelled("Dosage", "").append(marked(dosage.describe(), dosage.provenance)),
        ]
        if dosage.sets.high > 1 and dosage.rest_seconds is None:
            # The session rests between sets for as long as Settings says; no source gives it.
            facts.append(labelled("Rest between sets", f"{self.app.settings.rest_seconds} s, your setting (Settings)"))
        facts.append(labelled("Category", str(exercise.category)))
        if exercise.suits_acute:
            facts.append(labelled("Suits the acute phase", "").append(marked("yes", exercise.provenance)))
        facts.append(labelled("From plug-in", self.app.catalog.owner_of("exercises", exercise.id)))
        return facts

    def on_mount(self) -> None:
        super().on_mount()
        exercise = self.app.catalog.exercise(self.exercise_id)
        if exercise is not None:
            self.sub_title = exercise.name

    def action_guide(self) -> None:
        if self.app.catalog.exercise(self.exercise_id) is not None:
            self.app.action_guide_exercise(self.exercise_id)

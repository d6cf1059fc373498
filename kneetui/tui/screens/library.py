"""Exercise library: every exercise, filtered by category, acute phase and plug-in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, OptionList, Select, Static
from textual.widgets.option_list import Option

from kneetui.content.model import Category, Exercise, Provenance
from kneetui.tui.hanging import Hanging
from kneetui.tui.provenance import ProvenanceLegend, mark
from kneetui.tui.screens.base import SectionScreen
from kneetui.tui.widgets.check import Check

ANY = "any"


class ExerciseLibraryScreen(SectionScreen):
    """A filterable list; Enter opens an exercise, g guides it straight away."""

    SECTION_TITLE = "Exercise library"
    DEFAULT_CSS = """
    ExerciseLibraryScreen #filters { height: auto; }
    ExerciseLibraryScreen #filters Select { width: 1fr; }
    ExerciseLibraryScreen #filters Checkbox { width: auto; }
    ExerciseLibraryScreen #exercises { height: 1fr; }
    ExerciseLibraryScreen #count { color: $text-muted; padding: 0 1; }
    /* Narrow: one filter per line, without borders (as Textual's compact widgets), so each shows its value. */
    ExerciseLibraryScreen.-narrow #filters { layout: vertical; }
    ExerciseLibraryScreen.-narrow #filters Select { height: 1; }
    ExerciseLibraryScreen.-narrow #filters SelectCurrent { border: none; height: 1; padding: 0 1 0 0; }
    ExerciseLibraryScreen.-narrow #filters Checkbox { border: none; height: 1; padding: 0; width: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "open_exercise", "Details", show=True),
        Binding("g", "guide", "Guide it"),
        Binding("slash", "focus_filters", "Filters"),
    ]

    def compose_body(self) -> ComposeResult:
        catalog = self.app.catalog
        plugins = sorted({catalog.owner_of("exercises", exercise.id) for exercise in catalog.exercises})
        with Vertical(classes="section-body"):
            with Horizontal(id="filters"):
                yield Select(
                    [(category.value.title(), category.value) for category in Category],
                    prompt="Any category",
                    id="category",
                )
                yield Check("Suits acute phase", id="acute")
                yield Select([(name, name) for name in plugins], prompt="Any plug-in", id="plugin")
            yield Static(id="count")
            yield OptionList(id="exercises", markup=False, classes="-boxless-narrow")
            yield ProvenanceLegend(id="legend")

    def on_mount(self) -> None:
        super().on_mount()
        self.refill()
        self.query_one("#exercises").focus()

    def matching(self) -> list[Exercise]:
        catalog = self.app.catalog
        category = self.query_one("#category", Select).value
        plugin = self.query_one("#plugin", Select).value
        acute_only = self.query_one("#acute", Checkbox).value
        return [
            exercise
            for exercise in catalog.exercises
            if (category is Select.NULL or exercise.category == category)
            and (plugin is Select.NULL or catalog.owner_of("exercises", exercise.id) == plugin)
            and (not acute_only or exercise.suits_acute)
        ]

    def refill(self) -> None:
        exercises = self.matching()
        options = self.query_one("#exercises", OptionList)
        options.clear_options()
        options.add_options(Option(Hanging(self.prompt(exercise)), id=exercise.id) for exercise in exercises)
        self.query_one("#legend", ProvenanceLegend).show(
            provenance for exercise in exercises for provenance in exercise.provenances()
        )
        total = len(self.app.catalog.exercises)
        self.query_one("#count", Static).update(f"{len(exercises)} of {total} exercises")
        if exercises:
            options.highlighted = 0

    @staticmethod
    def prompt(exercise: Exercise) -> Content:
        """Two lines: the exercise's mark and name, then its category and dosage (and any other marks in it)."""
        details = Content(f"{exercise.category} · {exercise.dosage.describe()}")
        others = [
            provenance for provenance in Provenance if provenance in exercise.provenances() - {exercise.provenance}
        ]
        if others:
            details = Content.assemble(details, " · also ", *(mark(provenance) for provenance in others))
        return Content.assemble(mark(exercise.provenance), " ", (exercise.name, "bold"), "\n  ", details.stylize("dim"))

    def on_select_changed(self) -> None:
        self.refill()

    def on_checkbox_changed(self) -> None:
        self.refill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.push_screen(self.app.screen_for("exercise", exercise_id=event.option.id))

    def _highlighted_id(self) -> str | None:
        options = self.query_one("#exercises", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def action_open_exercise(self) -> None:
        exercise_id = self._highlighted_id()
        if exercise_id:
            self.app.push_screen(self.app.screen_for("exercise", exercise_id=exercise_id))

    def action_guide(self) -> None:
        exercise_id = self._highlighted_id()
        if exercise_id:
            self.app.action_guide_exercise(exercise_id)

    def action_focus_filters(self) -> None:
        self.query_one("#category").focus()

"""The programme builder: pick exercises, order them, choose each dose inside its range, save."""

from __future__ import annotations

import re
from dataclasses import replace

from textual import events, getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.widgets.option_list import Option

from kneetui.content.model import Exercise, Frequency, Program, ProgramStep, Provenance, Range
from kneetui.content.text import reason, typed_whole_number
from kneetui.content.validation import ID_PATTERN
from kneetui.exchange.program_file import ProgramFileError, export_program, parse_program
from kneetui.exchange.schema import MAX_NAME
from kneetui.history.progression import PRIMARY, STEP_SIZES
from kneetui.tui.app import KneeApp
from kneetui.tui.hanging import Hanging
from kneetui.tui.provenance import ProvenanceLegend, mark, marked
from kneetui.tui.screens.confirm import ConfirmScreen
from kneetui.tui.widgets.builder_lists import ExercisePicker, StepList
from kneetui.tui.widgets.dose_input import QUANTITY_LABELS, DoseInput
from kneetui.tui.widgets.key_footer import KeyFooter
from kneetui.tui.widgets.title_bar import TitleBar

FREQUENCIES = [("Daily", Frequency.DAILY), ("Every other day", Frequency.EVERY_OTHER_DAY)]
#: The name the builder shows as an example; the example file in docs/ uses another, so importing it never clashes.
NAME_EXAMPLE = "My knee plan"
ID_RULE = "use 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
#: Starting at the low end is kneetui's reading of the article's "start slowly"; building up as tolerated is the article's.
START_LOW = Content.assemble(
    marked("Starting low is kneetui's reading;", Provenance.KNEETUI),
    " ",
    marked("build up gradually as you tolerate it.", Provenance.ARTICLE),
)


def id_from_name(name: str) -> str:
    """A programme id made from its name: 'My knee plan!' gives 'my-knee-plan'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].rstrip("-")


def quantities(exercise: Exercise) -> list[tuple[str, Range]]:
    """The quantities of ``exercise``'s dose a person chooses, with their ranges."""
    found = [(name, getattr(exercise.dosage, name)) for name in PRIMARY if getattr(exercise.dosage, name)]
    if exercise.dosage.sets.low != exercise.dosage.sets.high:
        found.append(("sets", exercise.dosage.sets))
    return found


class ProgramBuilderScreen(Screen[str | None]):
    """Builds a new programme, or edits one of the person's own; dismisses with the saved id."""

    app = getters.app(KneeApp)

    SECTION_TITLE = "Programme builder"
    DEFAULT_CSS = """
    ProgramBuilderScreen #builder { height: 1fr; padding: 0 1; }
    ProgramBuilderScreen .field-row { height: auto; }
    ProgramBuilderScreen .field-row Label { width: 10; padding: 1 1 0 0; }
    ProgramBuilderScreen #name { width: 1fr; }
    ProgramBuilderScreen #id-label { width: 4; padding: 1 1 0 1; }
    ProgramBuilderScreen #frequency-label { width: 11; padding: 1 1 0 1; }
    ProgramBuilderScreen #program-id { width: 32; }
    ProgramBuilderScreen #description { width: 1fr; height: 3; }
    ProgramBuilderScreen #frequency { width: 24; }
    ProgramBuilderScreen #lists { height: 10; }
    ProgramBuilderScreen #library, ProgramBuilderScreen #steps { width: 1fr; height: 1fr; border: round $primary; }
    ProgramBuilderScreen #library:focus, ProgramBuilderScreen #steps:focus { border: tall $accent; }
    ProgramBuilderScreen #dose-row { height: auto; }
    ProgramBuilderScreen #dose-row Label { width: auto; padding: 1 1 0 1; }
    ProgramBuilderScreen #dose-title { width: auto; padding: 1 0 0 0; }
    ProgramBuilderScreen #hint { height: auto; min-height: 2; }
    ProgramBuilderScreen.-narrow .field-row, ProgramBuilderScreen.-narrow #lists { layout: vertical; height: auto; }
    ProgramBuilderScreen.-narrow #library, ProgramBuilderScreen.-narrow #steps { height: 8; }
    ProgramBuilderScreen.-narrow #program-id, ProgramBuilderScreen.-narrow #frequency { width: 1fr; }
    ProgramBuilderScreen.-narrow #dose-row { layout: vertical; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, program: Program | None = None) -> None:
        super().__init__()
        #: The programme being edited; None when building a new one.
        self.original = program
        self.steps: list[ProgramStep] = []
        if program is not None:
            for step in program.steps:
                exercise = self.exercise_of(step)
                self.steps.append(ProgramStep(step.exercise_id, step.dose or exercise.dosage.lowest()))
        #: The id last made from the name; the id follows the name until the person types their own.
        self._derived_id = program.id if program else ""
        #: The step the hint speaks about.
        self._hint_about: int | None = None

    # -- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        program = self.original
        yield TitleBar()
        # Not focusable itself: Tab goes from field to field, and each scrolls into view.
        with VerticalScroll(id="builder", can_focus=False):
            with Horizontal(classes="field-row"):
                yield Label("Name")
                yield Input(
                    program.name if program else "", placeholder=f"e.g. {NAME_EXAMPLE}", max_length=MAX_NAME, id="name"
                )
                yield Label("Id", id="id-label")
                yield Input(
                    program.id if program else "",
                    placeholder="made from the name",
                    id="program-id",
                    disabled=program is not None,
                )
            with Horizontal(classes="field-row"):
                yield Label("About")
                yield TextArea(program.description if program else "", id="description", soft_wrap=True)
                yield Label("How often", id="frequency-label")
                yield Select(
                    FREQUENCIES,
                    value=program.frequency if program else Frequency.DAILY,
                    allow_blank=False,
                    id="frequency",
                )
            with Horizontal(id="lists"):
                library = ExercisePicker(
                    *(
                        Option(
                            Hanging(
                                Content.assemble(
                                    mark(exercise.provenance),
                                    " ",
                                    (exercise.name, "bold"),
                                    "  ",
                                    marked(
                                        exercise.dosage.describe(),
                                        # Marked only where it differs from the exercise's own mark.
                                        None
                                        if exercise.dosage.provenance is exercise.provenance
                                        else exercise.dosage.provenance,
                                    ).stylize("dim"),
                                )
                            ),
                            id=exercise.id,
                        )
                        for exercise in self.app.catalog.exercises
                    ),
                    id="library",
                    markup=False,
                )
                library.border_title = "Exercises"
                yield library
                steps = StepList(id="steps", markup=False)
                steps.border_title = "In this programme"
                yield steps
            with Horizontal(id="dose-row"):
                yield Static(id="dose-title")
                for quantity in QUANTITY_LABELS:
                    yield Label(id=f"label-{quantity}")
                    yield DoseInput(quantity, Range(1, 1), 1, step=STEP_SIZES.get(quantity, 1))
            yield Static(id="hint")
        yield ProvenanceLegend(self.shown_provenances())
        yield KeyFooter()

    def shown_provenances(self) -> set[Provenance | None]:
        """The marks on this screen: the exercises' and their dosages', and the two in the hint."""
        shown: set[Provenance | None] = {Provenance.KNEETUI, Provenance.ARTICLE}
        for exercise in self.app.catalog.exercises:
            shown |= {exercise.provenance, exercise.dosage.provenance}
        return shown

    def on_mount(self) -> None:
        self.title = self.SECTION_TITLE
        self.sub_title = f"editing {self.original.name}" if self.original else "new programme"
        self.refresh_steps(0)
        #: The form as it was opened, to tell whether leaving would lose anything.
        self._as_opened = self.program()
        self.query_one("#name").focus()

    # -- reading the form ------------------------------------------------------------

    def exercise_of(self, step: ProgramStep) -> Exercise:
        exercise = self.app.catalog.exercise(step.exercise_id)
        assert exercise is not None, "programmes in the catalog only name loaded exercises"
        return exercise

    def program(self) -> Program:
        """The programme as the form now describes it."""
        original = self.original
        frequency = self.query_one("#frequency", Select).value
        return Program(
            id=self.query_one("#program-id", Input).value.strip(),
            name=self.query_one("#name", Input).value.strip(),
            description=self.query_one("#description", TextArea).text.strip(),
            steps=tuple(self.steps),
            frequency=frequency if isinstance(frequency, Frequency) else Frequency.DAILY,
            advice=original.advice if original else (),
            source_ids=original.source_ids if original else (),
            # What the person builds is theirs; advice lines kept from the original keep their own provenance.
            provenance=Provenance.YOURS,
        )

    def say(self, *parts: str | tuple[str, str] | Content) -> None:
        """Show a line in the hint below the lists, about the highlighted step."""
        self._hint_about = self.highlighted_step()
        self.query_one("#hint", Static).update(Content.assemble(*parts))

    # -- the steps -------------------------------------------------------------------

    def step_prompt(self, number: int, step: ProgramStep) -> Content:
        exercise = self.exercise_of(step)
        dose = step.dose.describe() if step.dose else ""
        return Content.assemble((f"{number}. ", "bold"), exercise.name, ("  " + dose, "bold $accent"))

    def refresh_steps(self, highlight: int | None) -> None:
        steps = self.query_one("#steps", StepList)
        steps.clear_options()
        steps.add_options(Option(Hanging(self.step_prompt(number, step))) for number, step in enumerate(self.steps, 1))
        if self.steps:
            steps.highlighted = min(max(highlight or 0, 0), len(self.steps) - 1)
        self.show_dose()

    def highlighted_step(self) -> int | None:
        highlighted = self.query_one("#steps", StepList).highlighted
        return highlighted if highlighted is not None and highlighted < len(self.steps) else None

    def show_dose(self) -> None:
        """Fill the dose row for the highlighted step, showing only the quantities it uses."""
        index = self.highlighted_step()
        title = self.query_one("#dose-title", Static)
        used: dict[str, Range] = {}
        if index is None:
            title.update("Add exercises from the list on the left (Enter); their doses are set here.")
        else:
            used = dict(quantities(self.exercise_of(self.steps[index])))
            title.update(Content.assemble("Dose of step ", (f"{index + 1}", "bold"), ":"))
        for quantity in QUANTITY_LABELS:
            label = self.query_one(f"#label-{quantity}", Label)
            field = self.query_one(f"#dose-{quantity}", DoseInput)
            span = used.get(quantity)
            label.display = field.display = span is not None
            if span is None or index is None:
                continue
            label.update(f"{QUANTITY_LABELS[quantity]} {span}")
            field.show(span, getattr(self.steps[index].dose, quantity))

    def on_option_list_option_highlighted(self, event: StepList.OptionHighlighted) -> None:
        if isinstance(event.option_list, StepList):
            self.show_dose()
            # The message can arrive after keys pressed quickly behind the arrow;
            # what those keys said about this step stays.
            if event.option_index != self._hint_about:
                self.describe_step()

    def describe_step(self) -> None:
        index = self.highlighted_step()
        self._hint_about = index
        if index is None:
            return
        exercise = self.exercise_of(self.steps[index])
        first = QUANTITY_LABELS[quantities(exercise)[0][0]].lower()
        self.say(
            exercise.name,
            f": {exercise.dosage.describe()}. ",
            START_LOW,
            " ",
            ("+ and - change the " + first + "; Enter to type the dose.", "dim"),
        )

    def on_option_list_option_selected(self, event: StepList.OptionSelected) -> None:
        if isinstance(event.option_list, ExercisePicker):
            self.add_step(str(event.option.id))
        elif isinstance(event.option_list, StepList):
            fields = [field for field in self.query(DoseInput) if field.display]
            if fields:
                fields[0].focus()

    def add_step(self, exercise_id: str) -> None:
        exercise = self.app.catalog.exercise(exercise_id)
        if exercise is None:
            return
        self.steps.append(ProgramStep(exercise.id, exercise.dosage.lowest()))
        self.refresh_steps(len(self.steps) - 1)
        self.say(
            ("Added ", "bold"),
            exercise.name,
            f" at {exercise.dosage.lowest().describe()}, the low end of {exercise.dosage.describe()}. ",
            START_LOW,
        )

    def action_move_step(self, offset: int) -> None:
        index = self.highlighted_step()
        if index is None or not 0 <= index + offset < len(self.steps):
            return
        self.steps[index], self.steps[index + offset] = self.steps[index + offset], self.steps[index]
        self.refresh_steps(index + offset)

    def action_remove_step(self) -> None:
        index = self.highlighted_step()
        if index is None:
            return
        removed = self.exercise_of(self.steps.pop(index))
        self.refresh_steps(index)
        self.say(("Removed ", "bold"), removed.name, ".")

    # -- doses -----------------------------------------------------------------------

    def set_quantity(self, quantity: str, value: int) -> bool:
        """Set ``quantity`` of the highlighted step's dose; refuse, saying why, outside its range."""
        index = self.highlighted_step()
        if index is None:
            return False
        step = self.steps[index]
        exercise = self.exercise_of(step)
        span = dict(quantities(exercise)).get(quantity)
        dose = step.dose or exercise.dosage.lowest()
        if span is None:
            return False
        if value not in span:
            label = QUANTITY_LABELS[quantity].lower()
            self.say(
                (f"{value} is outside the range {span} ({label}) of ", "bold"),
                (exercise.name, "bold"),
                (": refused. ", "bold"),
                f"The dose stays {dose.describe()}.",
            )
            return False
        chosen = replace(dose, **{quantity: value})
        self.steps[index] = replace(step, dose=chosen)
        self.query_one("#steps", StepList).replace_option_prompt_at_index(
            index, Hanging(self.step_prompt(index + 1, self.steps[index]))
        )
        self.say(exercise.name, f": {chosen.describe()} (range {exercise.dosage.describe()}).")
        return True

    def action_change_dose(self, direction: int) -> None:
        index = self.highlighted_step()
        if index is None:
            return
        exercise = self.exercise_of(self.steps[index])
        quantity = quantities(exercise)[0][0]
        current = getattr(self.steps[index].dose, quantity)
        if self.set_quantity(quantity, current + direction * STEP_SIZES.get(quantity, 1)):
            self.query_one(f"#dose-{quantity}", DoseInput).value = str(getattr(self.steps[index].dose, quantity))

    def on_dose_input_stepped(self, event: DoseInput.Stepped) -> None:
        if self.set_quantity(event.dose_input.quantity, event.value):
            event.dose_input.value = str(event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input
        if field.id == "name":
            self.follow_name(event.value)
        # Only what the person types counts; values put there by the builder are already in the dose.
        if not isinstance(field, DoseInput) or not field.has_focus:
            return
        typed = typed_whole_number(event.value)
        if typed is not None:
            self.set_quantity(field.quantity, typed)
        else:
            self.say(f"Type a whole number from {field.span.low} to {field.span.high}.")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # A refused number does not stay on screen looking as if it were the dose.
        field = event.widget
        if isinstance(field, DoseInput):
            index = self.highlighted_step()
            if index is not None:
                field.value = str(getattr(self.steps[index].dose, field.quantity))

    def follow_name(self, name: str) -> None:
        id_field = self.query_one("#program-id", Input)
        if self.original is not None or id_field.value != self._derived_id:
            return
        self._derived_id = id_from_name(name)
        id_field.value = self._derived_id

    # -- saving and leaving ------------------------------------------------------------

    def problem(self, program: Program) -> tuple[str, str] | None:
        """(widget id, why) for the first thing that stops ``program`` being saved."""
        if not program.name:
            return "name", "Give the programme a name."
        if not ID_PATTERN.fullmatch(program.id):
            return "program-id", f"The id {program.id!r} is not valid: {ID_RULE}."
        if not program.steps:
            return "library", "Add at least one exercise (Enter on the list on the left)."
        for field in self.query(DoseInput):
            if field.display and not field.is_valid:
                return field.id or "steps", f"{field.value!r} is not a dose in the range {field.span}."
        try:
            # The same check an import makes, so what is saved always loads again.
            parse_program(export_program(program), self.app.catalog)
        except ProgramFileError as error:
            return "name", f"Cannot save: {error}"
        return None

    @work(exclusive=True, group="builder-dialogs")
    async def action_save(self) -> None:
        program = self.program()
        problem = self.problem(program)
        if problem is not None:
            widget_id, why = problem
            self.say((why, "bold"))
            self.query_one(f"#{widget_id}").focus()
            return
        editing_same = self.original is not None and self.original.id == program.id
        existing = self.app.catalog.program(program.id)
        if existing is not None and not editing_same:
            owner = self.app.catalog.owner_of("programs", existing.id)
            whose = (
                "your programme" if existing.id in self.app.user_program_ids else f"the plug-in {owner!r}'s programme"
            )
            question = Content.assemble(
                f"The id {program.id!r} is already used by {whose} ‘", existing.name, "’. Replace it?"
            )
            if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Replace")):
                self.say("Not saved. Change the id to keep both.")
                self.query_one("#program-id").focus()
                return
        try:
            self.app.user_programs.save(program, overwrite=True)
        except OSError as error:
            self.say((f"Could not save: {reason(error)}", "bold"))
            return
        for notice in self.app.reload_user_programs():
            self.notify(notice, severity="warning", markup=False)
        self.notify(f"Saved {program.name!r}.", markup=False)
        self.dismiss(program.id)

    def unchanged(self) -> bool:
        return self.program() == self._as_opened

    @work(exclusive=True, group="builder-dialogs")
    async def action_cancel(self) -> None:
        if not self.unchanged():
            question = Content("Leave the builder without saving your changes?")
            if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Leave")):
                return
        self.dismiss(None)

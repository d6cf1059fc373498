"""Programmes: choose today's, build your own, edit or delete yours, export and import TOML files."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kneetui.content.catalog import Catalog
from kneetui.content.model import Program, Provenance
from kneetui.content.text import reason
from kneetui.exchange.program_file import (
    MAX_FILE_BYTES,
    ProgramFileError,
    export_program,
    parse_program,
    read_program_file,
)
from kneetui.exchange.user_programs import kept_apart
from kneetui.served import OutsideYourFolder, confine, for_patient, read_confined, served_home
from kneetui.tui.hanging import Hanging
from kneetui.tui.literal import heading, labelled
from kneetui.tui.provenance import ProvenanceLegend, mark, marked, marked_lines
from kneetui.tui.screens.base import SectionScreen
from kneetui.tui.screens.confirm import ConfirmScreen
from kneetui.tui.screens.import_clash import ClashChoice, ImportClashScreen
from kneetui.tui.screens.path_prompt import PathPromptScreen
from kneetui.tui.write_file import write_where_asked

#: Shown before today's programme, so the choice does not rest on colour.
TODAY_MARK = "✓ "


def quoted(text: str) -> Content:
    """Plug-in or user text in quotes, literal."""
    return Content.assemble("‘", text, "’")


def read_programme(path: Path, catalog: Catalog) -> Program:
    """The programme in ``path``; when served, opened without following a link."""
    if served_home() is None:
        return read_program_file(path, catalog)
    try:
        data = read_confined(path)
    except OSError as error:
        raise ProgramFileError("", f"cannot read {path.name}: {error.strerror or error}") from error
    if len(data) > MAX_FILE_BYTES:
        raise ProgramFileError("", f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProgramFileError("", f"the file is not UTF-8 text (byte {error.start})") from error
    return parse_program(text, catalog)


class ProgramsScreen(SectionScreen):
    """Every programme, plug-ins' and the person's own, with the one chosen for today marked."""

    SECTION_TITLE = "Programmes"
    DEFAULT_CSS = """
    ProgramsScreen #programs-row { height: 1fr; }
    /* The names are short and the details long: the details get the room. */
    ProgramsScreen #programs { width: 2fr; max-width: 36; height: 1fr; border: round $primary; }
    ProgramsScreen #program-detail { width: 3fr; height: 1fr; border: round $secondary; padding: 0 1; }
    ProgramsScreen #program-detail:focus { border: tall $accent; }
    ProgramsScreen.-narrow #programs-row { layout: vertical; }
    /* Stacked, every row counts: the list has no box there (-boxless-narrow, in app.tcss). */
    ProgramsScreen.-narrow #programs { width: 1fr; max-width: 100%; height: auto; max-height: 50%; }
    ProgramsScreen.-narrow #program-detail { width: 1fr; height: 1fr; }
    """
    BINDINGS = [
        Binding("t", "choose_for_today", "Today"),
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("x", "export", "Export"),
        Binding("i", "import_file", "Import"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: The last file exported or imported here, offered again by the next prompt.
        self.last_path: Path | None = None
        #: Whether the listed prompts are the narrow ones.
        self._listed_narrow = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="programs-row", classes="section-body"):
            programs = OptionList(id="programs", markup=False, classes="-boxless-narrow")
            programs.border_title = "Programmes"
            yield programs
            with VerticalScroll(id="program-detail") as detail:
                detail.border_title = "Details"
                yield Static(id="program-text")
        yield ProvenanceLegend(id="legend")

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def on_resize(self) -> None:
        # The prompts differ when stacked (see prompt()); the breakpoint class is set after this handler runs.
        self.call_after_refresh(self.refill_for_width)

    def refill_for_width(self) -> None:
        if self.narrow != self._listed_narrow:
            self.refill()

    def on_mount(self) -> None:
        super().on_mount()
        self.notice_changed_files()
        self.refill(self.app.settings.program)
        self.query_one("#programs").focus()

    def on_screen_resume(self) -> None:
        self.notice_changed_files()
        self.refill()

    def notice_changed_files(self) -> bool:
        """Pick up programmes imported, edited or deleted outside this app since they were last read."""
        if not self.app.user_programs.changed():
            return False
        for notice in self.app.reload_user_programs():
            self.notify(notice, severity="warning", markup=False)
        return True

    # -- what is shown -------------------------------------------------------------

    def is_own(self, program: Program) -> bool:
        return program.id in self.app.user_program_ids

    def refill(self, highlight: str | None = None) -> None:
        """List the programmes again, keeping ``highlight`` (or the current one) highlighted."""
        options = self.query_one("#programs", OptionList)
        keep = highlight or self.highlighted_id()
        self._listed_narrow = self.narrow
        options.clear_options()
        programs = self.app.catalog.programs
        options.add_options(Option(Hanging(self.prompt(program)), id=program.id) for program in programs)
        ids = [program.id for program in programs]
        if ids:
            options.highlighted = ids.index(keep) if keep in ids else 0
        self.show_detail()

    def prompt(self, program: Program) -> Content:
        chosen = self.app.chosen_program()
        is_today = chosen is not None and chosen.id == program.id
        tags = ["today"] if is_today else []
        if self.is_own(program):
            tags.append("yours")
        tags += [str(program.frequency), f"{len(program.steps)} exercises"]
        name = Content.assemble(
            (TODAY_MARK if is_today else " " * len(TODAY_MARK), "bold"),
            mark(program.provenance),
            " ",
            (program.name, "bold"),
        )
        if self.narrow:
            # Stacked on a small terminal, the list shows names only; the details say the rest.
            return name
        return Content.assemble(name, "\n  ", (" · ".join(tags), "dim"))

    def highlighted_id(self) -> str | None:
        options = self.query_one("#programs", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def highlighted_program(self) -> Program | None:
        program_id = self.highlighted_id()
        return self.app.catalog.program(program_id) if program_id else None

    def show_detail(self) -> None:
        program = self.highlighted_program()
        text = self.query_one("#program-text", Static)
        if program is None:
            text.update("There are no programmes. Press n to build one, or i to import a file.")
            return
        catalog = self.app.catalog
        shown: set[Provenance | None] = {
            provenance for listed in catalog.programs for provenance in listed.provenances()
        }
        lines = [
            heading(program.name),
            labelled("Where from", "").append(marked(program.provenance.meaning, program.provenance)),
        ]
        if program.description:
            lines.append(Content(program.description))
        lines += [marked(f"Do it {program.frequency}.", program.provenance), Content("")]
        exercises = []
        for number, step in enumerate(program.steps, 1):
            exercise = catalog.exercise(step.exercise_id)
            exercises.append(exercise)
            name = exercise.name if exercise else step.exercise_id
            # A dose the programme chose is the programme's; a range left as it is, the exercise's.
            whose: Provenance | None
            if step.dose is not None:
                dose, whose = step.dose.describe(), program.provenance
            else:
                dose, whose = (exercise.dosage.describe(), exercise.dosage.provenance) if exercise else ("", None)
            shown.add(whose)
            lines.append(Content.assemble((f"{number}. ", "bold"), name, "  ", marked(dose, whose).stylize("dim")))
        if any(step.dose is None for step in program.steps):
            # Starting at the low end is how kneetui reads the article's "start slowly".
            lines.append(marked("Where a range is given, kneetui starts at its low end.", Provenance.KNEETUI))
            shown.add(Provenance.KNEETUI)
        if any(
            exercise and exercise.dosage.sets.high > 1 and exercise.dosage.rest_seconds is None
            for exercise in exercises
        ):
            lines.append(labelled("Rest between sets", f"{self.app.settings.rest_seconds} s, your setting (Settings)"))
        if program.advice:
            lines += [Content(""), marked_lines(program.advice)]
        lines.append(Content(""))
        if self.is_own(program):
            lines.append(labelled("Yours, saved as", str(self.app.user_programs.path_for(program.id))))
        else:
            lines.append(labelled("From the plug-in", catalog.owner_of("programs", program.id)))
        lines.append(labelled("Id", program.id))
        text.update(Hanging(Content("\n").join(lines)))
        self.query_one("#legend", ProvenanceLegend).show(shown)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose_for_today()

    # -- actions -------------------------------------------------------------------

    def action_choose_for_today(self) -> None:
        program = self.highlighted_program()
        if program is None:
            return
        self.app.settings.program = program.id
        self.app.save_settings()
        self.refill(program.id)
        self.notify(f"‘{program.name}’ is today's programme.", markup=False)

    def action_new(self) -> None:
        self.open_builder(None)

    def action_edit(self) -> None:
        program = self.highlighted_program()
        if program is None:
            return
        if not self.is_own(program):
            self.refuse(program, "edited")
            return
        self.open_builder(program)

    def open_builder(self, program: Program | None) -> None:
        from kneetui.tui.screens.program_builder import ProgramBuilderScreen

        def saved(program_id: str | None) -> None:
            if program_id:
                self.refill(program_id)

        self.app.push_screen(ProgramBuilderScreen(program), saved)

    def refuse(self, program: Program, what: str) -> None:
        owner = self.app.catalog.owner_of("programs", program.id)
        self.notify(
            f"{program.name!r} comes from the plug-in {owner!r}; only your own programmes can be {what}. "
            "Press n to build your own.",
            severity="warning",
            markup=False,
        )

    @work(exclusive=True, group="programme-dialogs")
    async def action_delete(self) -> None:
        program = self.highlighted_program()
        if program is None:
            return
        if not self.is_own(program):
            self.refuse(program, "deleted")
            return
        path = self.app.user_programs.path_for(program.id)
        question = Content.assemble("Delete your programme ", quoted(program.name), f"? Its file {path} is removed.")
        if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Delete")):
            return
        try:
            self.app.user_programs.delete(program.id)
        except OSError as error:
            self.notify(f"Could not delete {path}: {reason(error)}", severity="error", markup=False)
            return
        self.after_programmes_changed()
        message = f"Deleted {program.name!r}."
        if self.app.catalog.program(program.id) is not None:
            message += f" The plug-in's programme {program.id!r} is back in its place."
        self.notify(message, markup=False)
        self.refill()

    @work(exclusive=True, group="programme-dialogs")
    async def action_export(self) -> None:
        program = self.highlighted_program()
        if program is None:
            return
        path = await write_where_asked(
            self.app,
            f"Export {program.name!r} to the file:",
            f"~/{program.id}.toml",
            lambda: export_program(program).encode("utf-8"),
            purpose="export",
            file_name=f"{program.id}.toml",
            replacing="with this programme",
        )
        if path is not None:
            self.last_path = path
            self.notify(f"Exported {program.name!r} to {for_patient(path)}.", markup=False)

    @work(exclusive=True, group="programme-dialogs")
    async def action_import_file(self) -> None:
        value = for_patient(self.last_path) if self.last_path else "~/"
        problem: Content | str = ""
        while True:
            path = await self.app.push_screen_wait(PathPromptScreen("Import the programme file:", value, problem))
            if path is None:
                return
            value = str(path)
            try:
                program = read_programme(confine(path, purpose="import"), self.app.catalog)
            except OutsideYourFolder as error:
                problem = str(error)
                continue
            except ProgramFileError as error:
                problem = Content.assemble(("Nothing was imported. ", "bold"), str(error))
                continue
            self.last_path = path
            chosen = await self.settle_clash(program, path)
            if chosen is None:
                self.notify("Nothing was imported.", markup=False)
                return
            program = chosen
            try:
                program, _ = self.app.user_programs.save_imported(program, self.app.catalog, overwrite=True)
            except ProgramFileError as error:
                problem = Content.assemble(("Nothing was imported. ", "bold"), str(error))
                continue
            except OSError as error:
                problem = f"Cannot save the programme: {reason(error)}"
                continue
            self.after_programmes_changed()
            self.refill(program.id)
            self.notify(f"Imported {program.name!r} ({program.id}).", markup=False)
            return

    async def settle_clash(self, program: Program, path: Path) -> Program | None:
        """``program`` as it is to be saved; when its id is taken, the person chooses. ``None``: cancelled."""
        existing = self.app.catalog.program(program.id)
        if existing is None:
            return program
        if self.is_own(existing):
            whose = Content.assemble("your programme ", quoted(existing.name))
        else:
            whose = Content.assemble(
                "the programme ",
                quoted(existing.name),
                f" from the plug-in {self.app.catalog.owner_of('programs', existing.id)!r}",
            )
        catalog = self.app.catalog
        apart = kept_apart(
            program,
            {listed.id for listed in catalog.programs} | set(self.app.user_programs.list()),
            {listed.name for listed in catalog.programs},
        )
        question = Content.assemble(
            quoted(program.name),
            f" in {path.name} has the id {program.id!r}, already used by ",
            whose,
            ".",
        )
        kept_as = Content.assemble(quoted(apart.name), f" ({apart.id})")
        choice = await self.app.push_screen_wait(ImportClashScreen(question, kept_as))
        if choice is ClashChoice.REPLACE:
            return program
        if choice is ClashChoice.KEEP_BOTH:
            return apart
        return None

    def after_programmes_changed(self) -> None:
        """Reload the person's programmes and keep today's choice pointing at one that exists."""
        for notice in self.app.reload_user_programs():
            self.notify(notice, severity="warning", markup=False)
        if self.app.catalog.program(self.app.settings.program) is None:
            fallback = self.app.chosen_program()
            if fallback is not None:
                self.app.settings.program = fallback.id
                self.app.save_settings()
                self.notify(f"Today's programme is now {fallback.name!r}.", markup=False)

"""Settings: theme, cues, timings and animations, saved to the config file as they change."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.validation import Integer
from textual.widgets import Checkbox, Input, Label, Select, Static

from kneetui.engine.safety import ARTICLE_RULE, KNEETUI_READING, MAX_TOLERANCE
from kneetui.tui.screens.base import SectionScreen
from kneetui.tui.widgets.check import Check

#: (setting, label) for each on/off setting.
SWITCHES = (
    ("bell", "Terminal bell at each change"),
    ("flash", "Visible flash at each change"),
    ("countdown_warning", "3-2-1 warning before a hold ends"),
    ("animations", "Animated drawings"),
)
#: Light mode: no animation and fewer updates, for SSH and limited terminals.
LIGHT_CHOICES = [("auto", "auto"), ("always", "on"), ("never", "off")]
#: (setting, label, lowest, highest) for each number setting.
NUMBERS = (
    ("get_ready_seconds", "Get-ready seconds", 0, 60),
    ("rest_seconds", "Rest between sets (seconds)", 0, 600),
)
#: The lowest and highest value of each number setting, by setting.
LIMITS = {name: (low, high) for name, _, low, high in NUMBERS}
#: The pain rule: 0 is the article's; a wider tolerance only on a physiotherapist's word.
TOLERANCE_CHOICES = [
    ("0: any rise stops (the article's rule)", 0),
    *((f"{n}: a rise of {n} goes on (my physiotherapist said so)", n) for n in range(1, MAX_TOLERANCE + 1)),
]
TOLERANCE_NOTE = (
    f"The article: “{ARTICLE_RULE}” So a session stops at any rise above your starting pain. "
    f"Allow a rise of 1 or 2 only if your physiotherapist told you to ({KNEETUI_READING}); "
    "the rule can never be switched off, and ! always stops."
)


class SettingsScreen(SectionScreen):
    """Each change is validated and saved at once; a bad number is never saved, and a number field left blank
    or out of range goes back to the value it had, so what it shows is what is saved."""

    SECTION_TITLE = "Settings"
    # Below 60 columns each label sits above its field, so every value stays readable.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    DEFAULT_CSS = """
    SettingsScreen .setting { height: auto; }
    SettingsScreen .setting Label { width: 34; padding: 1 1 0 0; }
    SettingsScreen .setting Input { width: 12; }
    SettingsScreen .setting Select { width: 30; }
    SettingsScreen #pain_rise_tolerance { width: 1fr; max-width: 56; }
    SettingsScreen.-narrow .setting { layout: vertical; }
    SettingsScreen.-narrow .setting Label { width: 1fr; padding: 1 0 0 0; }
    SettingsScreen.-narrow .setting Select { width: 1fr; }
    SettingsScreen #tolerance-note { color: $text-muted; padding: 0 1 1 0; }
    SettingsScreen .number-note { color: $warning; display: none; }
    SettingsScreen .number-note.-shown { display: block; }
    """

    #: Each number setting as it was saved when its field last took focus: what an unusable entry goes back to.
    before_edit: dict[str, int]

    def compose_body(self) -> ComposeResult:
        settings = self.app.settings
        with VerticalScroll(classes="section-body", id="settings-scroll"):
            with Horizontal(classes="setting"):
                yield Label("Theme")
                themes = sorted(self.app.available_themes)
                yield Select([(name, name) for name in themes], value=self.app.theme, allow_blank=False, id="theme")
            with Horizontal(classes="setting"):
                yield Label("Light mode (auto: over SSH, TERM=linux)")
                yield Select(LIGHT_CHOICES, value=settings.light_mode, allow_blank=False, id="light_mode")
            with Horizontal(classes="setting"):
                yield Label("Pain rise allowed before a stop")
                yield Select(
                    TOLERANCE_CHOICES, value=settings.pain_rise_tolerance, allow_blank=False, id="pain_rise_tolerance"
                )
            yield Static(TOLERANCE_NOTE, id="tolerance-note", markup=False)
            for name, label in SWITCHES:
                yield Check(label, getattr(settings, name), id=name, classes="setting")
            for name, label, low, high in NUMBERS:
                with Horizontal(classes="setting"):
                    yield Label(f"{label} ({low}–{high})")
                    yield Input(
                        str(getattr(settings, name)),
                        type="integer",
                        validators=[Integer(minimum=low, maximum=high)],
                        id=name,
                    )
                yield Static("", id=f"{name}-note", classes="number-note", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.before_edit = {}
        self.query_one("#theme").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        name, value = event.select.id, event.value
        if name == "theme":
            if isinstance(value, str) and value != self.app.theme:
                self.app.theme = value  # the app saves the theme it switches to
            return
        if name not in ("light_mode", "pain_rise_tolerance") or value == getattr(self.app.settings, name):
            return
        setattr(self.app.settings, name, value)
        self.app.save_settings()
        if name == "light_mode":
            self.app.apply_light_mode()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        setattr(self.app.settings, str(event.checkbox.id), event.value)
        self.app.save_settings()
        if event.checkbox.id == "animations":
            self.app.apply_animation_setting()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        name = event.widget.id
        if isinstance(event.widget, Input) and name in LIMITS:
            self.before_edit[name] = getattr(self.app.settings, name)

    def on_input_changed(self, event: Input.Changed) -> None:
        name = str(event.input.id)
        if name not in LIMITS:
            return
        if event.validation_result is None or not event.validation_result.is_valid:
            low, high = LIMITS[name]
            saved = getattr(self.app.settings, name)
            self.show_note(name, f"Not saved: give a whole number from {low} to {high}. Saved now: {saved}.")
            return
        self.show_note(name, "")
        setattr(self.app.settings, name, int(event.value))
        self.app.save_settings()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input.id in LIMITS:
            self.put_back_if_unusable(event.input)

    def on_screen_suspend(self) -> None:
        # Leaving the screen (Escape) blurs nothing: settle the field being typed in here.
        for name in LIMITS:
            self.put_back_if_unusable(self.query_one(f"#{name}", Input))

    def put_back_if_unusable(self, field: Input) -> None:
        """A field left blank or out of range goes back to what it was, so it always shows what is saved."""
        result = field.validate(field.value)
        if result is None or result.is_valid:
            return
        name = str(field.id)
        kept = self.before_edit.get(name, getattr(self.app.settings, name))
        if getattr(self.app.settings, name) != kept:  # a number typed on the way there was saved
            setattr(self.app.settings, name, kept)
            self.app.save_settings()
        typed = repr(field.value) if field.value.strip() else "A blank field"
        with field.prevent(Input.Changed):
            field.value = str(kept)
        self.show_note(name, f"{typed} was not saved; it is {kept} again.")

    def show_note(self, name: str, note: str) -> None:
        shown = self.query_one(f"#{name}-note", Static)
        shown.update(note)
        shown.set_class(bool(note), "-shown")

"""Help: every key binding, generated from the bindings themselves so it cannot go stale."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from kneetui.tui.literal import heading
from kneetui.tui.screens.base import SectionScreen


def bindings_of(cls: type) -> list[Binding]:
    """The bindings a class declares, including inherited ones, later ones winning."""
    found: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", [])):
            for key in binding.key.split(","):
                found[key.strip()] = binding
    return list(found.values())


def help_sections() -> list[tuple[str, type]]:
    """Each screen a person can reach, with its title, in the order Help lists them."""
    from kneetui.tui.screens import registry
    from kneetui.tui.screens.home import HomeScreen
    from kneetui.tui.screens.safety_notice import SafetyNoticeScreen

    screens: list[tuple[str, type]] = [("Home", HomeScreen)]
    for name in registry.SCREENS:
        cls = registry.screen_class(name)
        if cls is None:
            continue
        screens.append((getattr(cls, "SECTION_TITLE", "") or name.title(), cls))
    screens.append(("Safety notice", SafetyNoticeScreen))
    return screens


class HelpScreen(SectionScreen):
    """Keys everywhere, then keys per screen."""

    SECTION_TITLE = "Help"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="section-body", id="help-scroll"):
            yield Static(
                "kneetui is used with the keyboard alone. Tab and Shift+Tab move between parts "
                "of a screen; arrows move within lists; Enter chooses; Escape goes back. "
                "Ctrl+P opens the command palette to jump to any exercise, question, topic or aid, "
                "or to change the theme.",
                classes="item",
                markup=False,
            )
            # The app's own ! and q keys belong to a session (on a plug-in's screen): the Session
            # section lists them; everywhere else q does what each screen says.
            general = [binding for binding in bindings_of(type(self.app)) if not binding.action.startswith("frame_")]
            yield Static(self.table("Everywhere", [*general, *bindings_of(Screen)]), classes="item")
            everywhere = {binding.key for binding in bindings_of(Screen)}
            for title, cls in help_sections():
                bindings = [b for b in bindings_of(cls) if b.description and b.key not in everywhere]
                if bindings:
                    yield Static(self.table(title, bindings), classes="item")

    def table(self, title: str, bindings: list[Binding]) -> Content:
        rows = [heading(title)]
        seen = set()
        for binding in bindings:
            if not binding.description or binding.description in seen:
                continue
            seen.add(binding.description)
            key = self.app.get_key_display(binding)
            rows.append(Content.assemble((f"  {key:<12}", "bold"), binding.description))
        return Content("\n").join(rows)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#help-scroll").focus()

"""Home: today's session, every section one key away, and the safety notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kneetui.history.days import local_day
from kneetui.tui.app import KneeApp
from kneetui.tui.hanging import Hanging
from kneetui.tui.sections import SECTIONS, key_label
from kneetui.tui.widgets.key_footer import KeyFooter
from kneetui.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from kneetui.tui.widgets.due_today import DueToday

#: The sections whose keys the footer shows; the menu shows every key.
FOOTER_SECTIONS = {"session", "library", "faq", "help"}


class HomeScreen(Screen[None]):
    """The first screen: a menu of sections beside today's programme."""

    app = getters.app(KneeApp)

    DEFAULT_CSS = """
    HomeScreen Horizontal { height: 1fr; }
    HomeScreen #menu { width: 30; min-width: 24; height: 1fr; border: round $primary; }
    HomeScreen #today-panel { width: 1fr; height: 1fr; border: round $secondary; padding: 0 1; }
    HomeScreen #safety-line { margin-top: 1; color: $warning; text-style: bold; }
    HomeScreen #stop-notice {
        display: none; border: heavy $error; padding: 0 1; margin-bottom: 1; height: auto;
    }
    HomeScreen.-stopped #stop-notice { display: block; }
    HomeScreen.-narrow Horizontal { layout: vertical; overflow-y: auto; }
    /* At most the screen's height, so the menu scrolls itself to the highlighted item. */
    HomeScreen.-narrow #menu { width: 1fr; height: auto; max-height: 100%; }
    HomeScreen.-narrow #today-panel { height: auto; max-height: 100%; }
    """
    BINDINGS = [
        *(
            Binding(
                section.key,
                "start_session" if section.name == "session" else f"app.open('{section.name}')",
                section.short,
                show=section.name in FOOTER_SECTIONS,
            )
            for section in SECTIONS
        ),
        Binding("k", "acknowledge_stop", "I have read it"),
        Binding("exclamation_mark", "app.safety_notice", "Safety"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._filled_when_loaded = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal():
            menu = OptionList(
                *(
                    Option(
                        Content.assemble((f"{key_label(section.key)}  ", "bold $accent"), section.label),
                        id=section.name,
                    )
                    for section in SECTIONS
                ),
                id="menu",
                markup=False,
            )
            menu.border_title = "Menu"
            yield menu
            with VerticalScroll(id="today-panel") as panel:
                panel.border_title = "Today"
                yield Static(id="stop-notice")
                # What is due today (DueToday) comes before this once the plug-ins are loaded.
                yield Static(id="today")
                yield Static(
                    "Stop and seek professional help if the pain gets worse, or with swelling "
                    "or instability. Press ! for the full safety notice.",
                    id="safety-line",
                    markup=False,
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "kneetui"
        self.sub_title = "home exercises for the inside of the knee"
        self.query_one("#menu").focus()

    def on_screen_resume(self) -> None:
        # Also sent when Home is first shown: filling the today panel here alone fills it once at start-up.
        self.refresh_today()

    def refresh_today(self) -> None:
        """Today's programme and what is due, once the plug-ins are loaded; the stop notice at once."""
        if self.app.plugins_loaded:
            self.query_one("#today", Static).update(Hanging(self.app.today_summary()))
            self.due_today().refresh_due()
        elif not self._filled_when_loaded:
            # The first frame shows the menu without waiting for the plug-ins (nor the history);
            # the programme, what is due and a previous session's stop follow them.
            self._filled_when_loaded = True
            self.app.when_plugins_loaded(self.refresh_today)
        self.app.when_history_open(self.show_stop)

    def due_today(self) -> DueToday:
        """What is due today, added to the today panel the first time it is asked for."""
        from kneetui.tui.widgets.due_today import DueToday

        found = self.query(DueToday)
        if found:
            return found.first()
        widget = DueToday()
        self.query_one("#today-panel").mount(widget, before="#today")
        return widget

    def show_stop(self) -> None:
        """After a session that stopped with the advice to see a professional: what happened, until read."""
        stopped = self.app.history.unacknowledged_stop()
        self.set_class(stopped is not None, "-stopped")
        self.refresh_bindings()
        if stopped is None:
            return
        from kneetui.engine.safety import ARTICLE_RULE, describe_stop

        day = local_day(stopped.stopped_at or stopped.started_at).strftime("%A %d %B")
        self.query_one("#stop-notice", Static).update(
            Content("\n").join(
                [
                    Content.assemble(("Your last session stopped", "bold reverse"), f" ({day})."),
                    Content(describe_stop(stopped.stop_reason)),
                    Content(f"The article: “{ARTICLE_RULE}”"),
                    Content("Starting again will remind you. Press k when you have read this."),
                ]
            )
        )
        self.call_after_refresh(self.show_stop_first)

    def show_stop_first(self) -> None:
        """Stacked on a small terminal the menu comes first and would hide the stop: bring the stop into view."""
        if self.has_class("-narrow") and self.has_class("-stopped"):
            panel = self.query_one("#today-panel", VerticalScroll)
            panel.focus()
            panel.scroll_home(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge_stop":
            return self.has_class("-stopped")
        return True

    def action_acknowledge_stop(self) -> None:
        stopped = self.app.history.unacknowledged_stop()
        if stopped is not None:
            self.app.history.acknowledge_stop(stopped.id, self.app.clock.wall())
        self.show_stop()
        self.query_one("#menu").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "session":
            self.action_start_session()
        elif event.option.id is not None:
            self.app.action_open(event.option.id)

    @work(exclusive=True, group="start-session")
    async def action_start_session(self) -> None:
        """Start today's session, asking first when the programme's frequency says it was done today."""
        if not self.app.plugins_loaded:
            self.app.when_plugins_loaded(self.action_start_session)
            return
        from kneetui.tui.screens.confirm import ConfirmScreen

        question = self.due_today().question_before_starting()
        if question is not None and not await self.app.push_screen_wait(ConfirmScreen(question, yes="Start")):
            return
        if self.app.screen is not self:
            # A key pressed meanwhile opened a screen over Home (!, ?, o): popping it before it has
            # mounted would crash it. That screen wins; s can be pressed again.
            return
        self.app.action_open("session")

"""Moving around the app by keyboard alone, as a person would."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, OptionList, Static

from kneetui.storage.config import Settings, load_settings
from kneetui.tui.screens.exercise_detail import ExerciseDetailScreen
from kneetui.tui.screens.home import HomeScreen
from kneetui.tui.screens.registry import screen_class
from kneetui.tui.screens.safety_notice import SafetyNoticeScreen
from kneetui.tui.sections import SECTIONS

SIZE = (80, 24)


def visible_text(screen) -> str:
    return "\n".join(str(widget.render()) for widget in screen.query(Static))


async def test_first_run_requires_acknowledging_the_safety_notice(make_app):
    app = make_app(settings=Settings(safety_acknowledged=False))
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SafetyNoticeScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, SafetyNoticeScreen), "Escape must not skip the first-run notice"
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
    assert load_settings().settings.safety_acknowledged


async def test_at_40x12_enter_reads_the_notice_to_its_end_before_it_acknowledges(make_app):
    app = make_app(settings=Settings(safety_acknowledged=False))
    async with app.run_test(size=(40, 12)) as pilot:
        notice = app.screen.query_one("#notice")
        assert notice.max_scroll_y > 0, "at 40x12 the notice is longer than the screen"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SafetyNoticeScreen), "Enter first reads on"
        assert notice.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert notice.scroll_y == notice.max_scroll_y
        assert app.screen.query_one("#acknowledge").region.bottom <= 12
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
    assert load_settings().settings.safety_acknowledged


async def test_the_safety_notice_stays_one_key_away(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, SafetyNoticeScreen)
        assert "swelling or instability" in visible_text(app.screen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("section", [s for s in SECTIONS if s.name != "session"])
async def test_every_section_opens_from_home_by_its_key_and_escape_returns(make_app, section):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(section.key)
        assert not isinstance(app.screen, HomeScreen)
        assert app.screen.focused is not None, "something must have focus"
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_home_menu_opens_a_section_with_enter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        menu = app.screen.query_one("#menu", OptionList)
        menu.highlighted = [s.name for s in SECTIONS].index("faq")
        await pilot.press("enter")
        assert app.screen.SECTION_TITLE == "Frequently asked questions"


async def test_at_40x12_the_home_menu_scrolls_to_its_last_item(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        menu = app.screen.query_one("#menu", OptionList)
        await pilot.press("end")
        await pilot.pause()
        last = menu.option_count - 1
        assert menu.highlighted == last
        assert menu.scroll_y > 0, "the menu itself scrolls, so its last item is on screen"
        assert menu.region.bottom <= app.screen.region.bottom - 1, "the menu ends above the footer"
        await pilot.press("enter")
        assert app.screen.__class__.__name__ == "HelpScreen"


async def test_typing_in_the_faq_finds_the_answer_as_you_type(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.press(*"worse")
        entries = list(app.screen.query(".faq-entry"))
        assert str(entries[0].render()).startswith("What should I do if my knee pain worsens")
        assert "worse" in app.screen.query_one("#query", Input).value
        status = str(app.screen.query_one("#status", Static).render())
        assert "found, best first" in status


async def test_faq_matches_are_highlighted(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", *"swelling")
        first = app.screen.query(".faq-entry").first().visual.content
        highlighted = [first.plain[span.start : span.end] for span in first.spans if "underline" in str(span.style)]
        assert highlighted == ["swelling"], "exactly the matched word is underlined"


async def test_the_library_filters_to_exercises_that_suit_the_acute_phase(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert app.screen.query_one("#exercises", OptionList).option_count == 6
        for key in ("slash", "tab", "space"):
            await pilot.press(key)
            await pilot.pause()
        assert app.screen.focused.id == "acute"
        # Only gentle cycling: the article names no other exercise for the acute phase.
        assert app.screen.query_one("#exercises", OptionList).option_count == 1


async def test_enter_on_an_exercise_opens_its_detail_with_steps_and_dosage(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "down", "enter")
        assert isinstance(app.screen, ExerciseDetailScreen)
        text = visible_text(app.screen)
        assert "Wall slides" in text and "10–15 reps" in text and "How to do it" in text


async def test_the_palette_opens_an_exercise_by_name(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"cycling")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseDetailScreen)
        assert app.screen.exercise_id == "gentle-cycling"


async def test_the_palette_opens_a_learn_topic(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"meniscus")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.SECTION_TITLE == "Learn"
        assert app.screen.topic_id == "cause-meniscus"


async def test_plugin_text_with_markup_is_shown_literally(make_app):
    app = make_app("markup_text")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        library = app.screen.query_one("#exercises", OptionList)
        prompts = [str(library.get_option_at_index(i).prompt) for i in range(library.option_count)]
        assert any("[bold red]Loud[/] stretch [link=https://example.invalid]click[/link]" in p for p in prompts)
        await pilot.press("escape", "f", *"bold")
        first = str(app.screen.query(".faq-entry").first().render())
        assert "Is [bold]this[/bold] bold?" in first


async def test_a_failed_plugin_is_announced_and_explained_on_the_plugins_screen(make_app):
    app = make_app("broken_import")
    async with app.run_test(size=SIZE) as pilot:
        assert any("broken_import" in str(n.message) for n in app._notifications)
        await pilot.press("p")
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=1)
        await pilot.pause()
        detail = str(app.screen.query_one("#plugin-description", Static).render())
        assert "import failed: RuntimeError: this plug-in cannot be imported" in detail


async def test_help_lists_the_keys_of_every_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        text = visible_text(app.screen)
        for title in ("Everywhere", "Home", "Exercise library", "Frequently asked questions", "Safety notice"):
            assert title in text
        for section in SECTIONS:
            assert section.short in text


async def test_a_settings_change_is_saved_at_once(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.press("tab", "tab", "tab", "space")  # theme, light mode, pain rule, then the bell
        await pilot.pause()
        assert load_settings().settings.bell is False
        rest = app.screen.query_one("#rest_seconds", Input)
        rest.focus()
        await pilot.press("end", "backspace", "backspace", *"9999")
        await pilot.pause()
        assert load_settings().settings.rest_seconds != 9999, "a value out of range is not saved"
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert load_settings().settings.rest_seconds == 99


async def test_a_number_field_left_blank_goes_back_to_what_was_saved_and_says_so(make_app):
    app = make_app(settings=Settings(safety_acknowledged=True, rest_seconds=45))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        rest = app.screen.query_one("#rest_seconds", Input)
        rest.focus()
        await pilot.press("end", "backspace", "backspace")
        await pilot.pause()
        note = app.screen.query_one("#rest_seconds-note", Static)
        assert note.display and "Not saved: give a whole number from 0 to 600" in str(note.render())
        await pilot.press("tab")
        await pilot.pause()
        assert rest.value == "45" and load_settings().settings.rest_seconds == 45 == app.settings.rest_seconds
        assert "A blank field was not saved; it is 45 again." in str(note.render())

        rest.focus()
        await pilot.press("end", "backspace", "backspace", *"60")
        await pilot.pause()
        assert load_settings().settings.rest_seconds == 60 and not note.display


async def test_leaving_settings_with_a_blank_number_keeps_what_was_there_before(make_app):
    app = make_app(settings=Settings(safety_acknowledged=True, rest_seconds=45))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#rest_seconds", Input).focus()
        await pilot.press("end", "backspace", "backspace", "escape")
        await pilot.pause()
        assert load_settings().settings.rest_seconds == 45 == app.settings.rest_seconds
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.query_one("#rest_seconds", Input).value == "45"


@pytest.mark.parametrize("size", [(40, 12), (60, 20), (20, 8)])
async def test_every_screen_opens_and_closes_in_small_terminals(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        for section in SECTIONS:
            if section.name == "session":
                continue
            await pilot.press(section.key)
            await pilot.pause()
            assert isinstance(app.screen, screen_class(section.name)), f"{section.key} did not open {section.name}"
            assert app.screen.size == size, f"{section.name} does not fill the terminal"
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), f"Escape did not leave {section.name}"


async def test_side_by_side_panels_stack_below_70_columns(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert not app.screen.has_class("-narrow")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.screen.has_class("-narrow")
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert not app.screen.has_class("-narrow")


async def test_rapid_resizing_does_not_crash(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "enter")
        for width, height in [(80, 24), (20, 8), (120, 40), (40, 12), (25, 9), (80, 24)] * 5:
            await pilot.resize_terminal(width, height)
        await pilot.pause()
        assert isinstance(app.screen, ExerciseDetailScreen)


async def test_a_plugin_can_be_disabled_from_the_plugins_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "space")
        await pilot.pause()
        assert load_settings().settings.disabled_plugins == ["medial-knee"]
        assert "takes effect when kneetui next starts" in str(
            app.screen.query_one("#plugin-description", Static).render()
        )
        await pilot.press("space")
        await pilot.pause()
        assert load_settings().settings.disabled_plugins == []


async def test_at_40x12_every_setting_has_room_for_its_value(make_app):
    from textual.widgets import Input, Select

    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        for field in app.screen.query(Input):
            assert field.region.width >= 10, field.id
        for field in app.screen.query(Select):
            assert field.region.width >= 30, field.id


async def test_the_library_and_the_faq_are_kept_between_visits_and_escape_returns_home(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        shown = {}
        for _ in range(2):
            for key in ("e", "f"):
                await pilot.press(key)
                await pilot.pause()
                assert shown.setdefault(key, app.screen) is app.screen, "the same screen, not a new one"
                await pilot.press("escape")
                await pilot.pause()
                assert app.screen is home and app.screen_stack == [home]
        await pilot.press("f")
        await pilot.pause()
        search = app.screen.query_one(Input)
        search.value = "worse"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "worse", "the FAQ is as the person left it"


@pytest.mark.parametrize(
    ("key", "character", "opened"),
    [
        ("exclamation_mark", "!", "SafetyNoticeScreen"),
        ("question_mark", "?", "HelpScreen"),
        ("o", "o", "SettingsScreen"),
        ("g", "g", "ProgressScreen"),
    ],
)
async def test_a_key_arriving_with_s_in_one_burst_opens_its_screen_and_crashes_nothing(
    make_app, key, character, opened
):
    # Fast typing over SSH delivers "s!" in one read: both keys are queued before s has started the session.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(events.Key("s", "s"))
        app.post_message(events.Key(key, character))
        for _ in range(10):
            await pilot.pause()
        assert [type(screen).__name__ for screen in app.screen_stack] == ["HomeScreen", opened]

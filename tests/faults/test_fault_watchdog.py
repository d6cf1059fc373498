"""The plug-in screen watchdog's decisions, on a fake clock; and its interrupt, on a real thread."""

from __future__ import annotations

import threading
import time

import pytest

from kneetui.tui.plugin_watchdog import (
    EventLoopWatchdog,
    PluginScreenTimeout,
    frame_in_package,
    frames_of,
    raise_in_thread,
    runs_plugin_code,
)


class Loop:
    """Stands in for the event loop: answers the watchdog's questions only when it is free."""

    def __init__(self) -> None:
        self.busy = False
        self.questions: list = []

    def post(self, callback) -> None:
        if self.busy:
            self.questions.append(callback)
        else:
            callback()

    def free(self) -> None:
        self.busy = False
        for callback in self.questions:
            callback()
        self.questions.clear()


class Recorder:
    def __init__(self) -> None:
        self.now = 0.0
        self.interrupts = 0
        self.gave_up = 0


def watchdog(loop: Loop, recorder: Recorder, in_plugin_code: bool = True, **options) -> EventLoopWatchdog:
    def interrupt(thread_id: int) -> bool:
        recorder.interrupts += 1
        return True

    def give_up() -> None:
        recorder.gave_up += 1

    return EventLoopWatchdog(
        "some_plugin",
        loop.post,
        give_up,
        threshold=3.0,
        clock=lambda: recorder.now,
        interrupt=interrupt,
        in_plugin_code=lambda thread: in_plugin_code,
        **options,
    )


def look_over(dog: EventLoopWatchdog, recorder: Recorder, seconds: float, step: float = 0.25) -> None:
    end = recorder.now + seconds
    while recorder.now < end - 1e-9:
        recorder.now += step
        dog.look()


def test_a_loop_that_keeps_answering_is_never_interrupted():
    loop, recorder = Loop(), Recorder()
    dog = watchdog(loop, recorder)
    look_over(dog, recorder, 60)
    assert recorder.interrupts == 0 and recorder.gave_up == 0


def test_a_loop_that_stays_away_for_the_threshold_is_interrupted():
    loop, recorder = Loop(), Recorder()
    dog = watchdog(loop, recorder)
    loop.busy = True
    look_over(dog, recorder, 2.9)
    assert recorder.interrupts == 0, "not before the threshold"
    look_over(dog, recorder, 0.5)
    assert recorder.interrupts == 1
    loop.free()  # the interrupt worked: the loop answers again
    look_over(dog, recorder, 30)
    assert recorder.interrupts == 1 and recorder.gave_up == 0


def test_a_plugin_that_swallows_every_interrupt_is_given_up_on_after_its_attempts():
    loop, recorder = Loop(), Recorder()
    dog = watchdog(loop, recorder, attempts=3)
    loop.busy = True
    look_over(dog, recorder, 3 * 3.0 + 0.5)
    assert recorder.interrupts == 3 and recorder.gave_up == 0
    look_over(dog, recorder, 3.0)
    assert recorder.gave_up == 1 and dog.gave_up
    assert dog.look() is False and recorder.gave_up == 1


def test_a_loop_busy_in_kneetuis_own_code_is_never_interrupted():
    # e.g. waiting on the history file another process has locked: not the plug-in's doing.
    loop, recorder = Loop(), Recorder()
    dog = watchdog(loop, recorder, in_plugin_code=False)
    loop.busy = True
    look_over(dog, recorder, 60)
    assert recorder.interrupts == 0 and recorder.gave_up == 0


def test_a_closed_event_loop_ends_the_watch():
    recorder = Recorder()

    def closed(callback):
        raise RuntimeError("Event loop is closed")

    dog = EventLoopWatchdog("p", closed, lambda: None, clock=lambda: recorder.now)
    assert dog.look() is False


def test_the_threshold_must_be_positive():
    with pytest.raises(ValueError, match="threshold must be a positive number"):
        EventLoopWatchdog("p", lambda callback: None, lambda: None, threshold=0)


def spin(stop: threading.Event, outcome: list) -> None:
    try:
        while not stop.is_set():
            pass
    except PluginScreenTimeout as error:
        outcome.append(error)


def test_the_interrupt_raises_inside_a_thread_that_runs_a_busy_loop():
    stop, outcome = threading.Event(), []
    thread = threading.Thread(target=spin, args=(stop, outcome), daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not any(frame_in_package(frame, __name__) for frame in frames_of(thread.ident)):
        assert time.monotonic() < deadline, "the spinning thread never showed up"
        time.sleep(0.01)
    assert raise_in_thread(thread.ident, PluginScreenTimeout)
    thread.join(timeout=5)
    stop.set()
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], PluginScreenTimeout)


def test_the_real_watchdog_thread_interrupts_a_busy_thread_and_then_stops():
    stop, outcome = threading.Event(), []
    thread = threading.Thread(target=spin, args=(stop, outcome), daemon=True)
    thread.start()
    answered = threading.Event()
    # Nobody answers its questions: the "loop" (the spinning thread) is busy.
    dog = EventLoopWatchdog(
        __name__, lambda callback: answered.set(), lambda: None, threshold=0.2, thread_id=thread.ident
    )
    dog.start()
    try:
        thread.join(timeout=5)
    finally:
        dog.stop()
        stop.set()
    assert outcome and dog.interrupts == 1
    assert answered.is_set()


class Frame:
    def __init__(self, module: str) -> None:
        self.f_globals = {"__name__": module}


@pytest.mark.parametrize(
    ("stack", "verdict"),
    [
        (["paced_plugin.screen", "textual.timer", "kneetui.tui.screens.session"], True),
        (["textual.dom", "paced_plugin.screen", "asyncio.events"], True),
        (["sqlite3", "kneetui.history.store", "kneetui.engine.plugin_guide", "paced_plugin.screen"], False),
        (["textual.app", "kneetui.tui.app", "asyncio.events"], False),
        (["kneetui_medial_knee.exercises", "paced_plugin.screen"], True),
    ],
)
def test_only_the_plugins_own_code_is_interrupted_never_kneetuis_work_for_it(stack, verdict):
    # Innermost first, as frames_of gives them.
    assert runs_plugin_code([Frame(module) for module in stack], "paced_plugin") is verdict

"""A watchdog for plug-in session screens that stop giving the event loop back.

A Textual app runs every timer, handler and render on one event loop. A
plug-in screen whose code never returns (``while True: pass`` in a timer)
would freeze kneetui for good: no key, not even Ctrl+C, gets through.

While a plug-in's screen is open, :class:`EventLoopWatchdog` runs a thread
that asks the event loop for a heartbeat. When the loop has not answered for
``threshold`` seconds *and* the loop's thread is running the plug-in's code,
it raises :class:`PluginScreenTimeout` inside that thread. The exception
leaves the plug-in's code the way any exception would, Textual hands it to
``App._handle_exception``, and the plug-in screen guard closes the screen.

Raising into another thread is only safe where the code it lands in is
ready for any exception; that is why the watchdog only ever interrupts
while the plug-in's own code is running (not kneetui's code that the
plug-in called, such as recording a block into a locked history). Code the exception
cannot reach (a plug-in that catches every exception in its loop, or that
sleeps inside a C call such as ``time.sleep``) is not stopped: after
``attempts`` tries the watchdog calls ``give_up``, which the app uses to
restore the terminal and exit with a message (everything recorded so far is
already committed).

No Textual here: the loop is reached through ``post`` (the event loop's
``call_soon_threadsafe``), and time through ``clock``, so the decisions can
be tested without threads or sleeping.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time
from collections.abc import Callable
from enum import Enum
from types import FrameType

#: How long the event loop may stay away before a plug-in screen is interrupted.
DEFAULT_THRESHOLD_SECONDS = 3.0
#: How many interrupts a plug-in gets before kneetui gives up on it.
DEFAULT_ATTEMPTS = 3


class PluginScreenTimeout(Exception):
    """Raised inside a plug-in screen's code that kept the event loop busy for too long."""

    def __init__(self, *args: object) -> None:
        # Raised from another thread as a bare class, so the message is the default one.
        super().__init__(*(args or ("it stopped responding",)))


class Verdict(Enum):
    """What the watchdog should do at one look at the heartbeat."""

    ASK = "ask"  # no question outstanding: ask the loop for a beat
    WAIT = "wait"  # asked, not answered yet, still within the threshold
    STUCK = "stuck"  # asked and not answered for the whole threshold


class Heartbeat:
    """The question-and-answer between the watchdog thread and the event loop."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self._asked_at: float | None = None
        self._lock = threading.Lock()

    def check(self, now: float) -> Verdict:
        """What to do now; ``ASK`` also marks the question as asked at ``now``."""
        with self._lock:
            if self._asked_at is None:
                self._asked_at = now
                return Verdict.ASK
            if now - self._asked_at >= self.threshold:
                return Verdict.STUCK
            return Verdict.WAIT

    def answer(self) -> None:
        """Called on the event loop: the loop is alive."""
        with self._lock:
            self._asked_at = None

    def wait_again(self, now: float) -> None:
        """After an interrupt: give the loop a whole threshold to come back."""
        with self._lock:
            self._asked_at = now


def frames_of(thread_id: int) -> list[FrameType]:
    """The Python frames the thread ``thread_id`` is running, innermost first."""
    frame = sys._current_frames().get(thread_id)
    frames = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


def frame_in_package(frame: FrameType, package: str) -> bool:
    """Whether ``frame`` runs code of the top-level module or package ``package``."""
    module = frame.f_globals.get("__name__", "")
    return isinstance(module, str) and module.split(".")[0] == package


def runs_plugin_code(frames: list[FrameType], package: str) -> bool:
    """Whether the innermost of kneetui's and the plug-in's frames is the plug-in's.

    A plug-in waiting on kneetui (recording a block while another process
    holds the history locked) is kneetui's wait, not the plug-in's hang.
    Frames of Textual, the standard library and the like count for neither.
    """
    for frame in frames:
        if frame_in_package(frame, package):
            return True
        if frame_in_package(frame, "kneetui"):
            return False
    return False


def raise_in_thread(thread_id: int, exception: type[BaseException]) -> bool:
    """Raise ``exception`` in the thread ``thread_id`` at its next Python instruction."""
    set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    changed = set_async_exc(ctypes.c_ulong(thread_id), ctypes.py_object(exception))
    if changed > 1:  # cannot happen for a real thread id; undo rather than hit several threads
        set_async_exc(ctypes.c_ulong(thread_id), None)
        return False
    return bool(changed == 1)


class EventLoopWatchdog:
    """Interrupts plug-in code that keeps the event loop of ``thread_id`` busy for too long.

    Start it on the event loop's thread (:meth:`start`), stop it when the
    plug-in's screen is gone (:meth:`stop`); :meth:`look` is one look,
    exposed so that tests can drive it with a fake clock.
    """

    def __init__(
        self,
        package: str,
        post: Callable[[Callable[[], None]], object],
        give_up: Callable[[], None],
        *,
        threshold: float = DEFAULT_THRESHOLD_SECONDS,
        attempts: int = DEFAULT_ATTEMPTS,
        clock: Callable[[], float] = time.monotonic,
        thread_id: int | None = None,
        interrupt: Callable[[int], bool] | None = None,
        in_plugin_code: Callable[[int], bool] | None = None,
    ) -> None:
        if threshold <= 0:
            raise ValueError("the threshold must be a positive number of seconds")
        self.package = package
        self.threshold = threshold
        self.attempts = attempts
        self.heartbeat = Heartbeat(threshold)
        #: How many times the plug-in's code has been interrupted.
        self.interrupts = 0
        self.gave_up = False
        self._post = post
        self._give_up = give_up
        self._clock = clock
        self._thread_id = thread_id if thread_id is not None else threading.get_ident()
        self._interrupt = interrupt or (lambda thread: raise_in_thread(thread, PluginScreenTimeout))
        self._in_plugin_code = in_plugin_code or (lambda thread: runs_plugin_code(frames_of(thread), package))
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Watch from a daemon thread until :meth:`stop`."""
        self._thread = threading.Thread(target=self._run, name=f"kneetui-watchdog-{self.package}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stopped.is_set()

    def _run(self) -> None:
        poll = min(0.05, self.threshold / 4)
        while not self._stopped.wait(poll):
            if not self.look():
                return

    def look(self) -> bool:
        """One look at the heartbeat; False once there is nothing more to watch."""
        if self.gave_up:
            return False
        now = self._clock()
        verdict = self.heartbeat.check(now)
        if verdict is Verdict.ASK:
            try:
                self._post(self.heartbeat.answer)
            except RuntimeError:  # the event loop is closed: the app is gone
                return False
        elif verdict is Verdict.STUCK and self._in_plugin_code(self._thread_id):
            if self.interrupts >= self.attempts:
                self.gave_up = True
                self._give_up()
                return False
            self.interrupts += 1
            self._interrupt(self._thread_id)
            self.heartbeat.wait_again(now)
        return not self._stopped.is_set()

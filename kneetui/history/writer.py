"""One thread that runs the history's writes in the order they were asked for.

The app's event loop must never wait on SQLite: another process of the same person (a
second login) may hold the file's write lock for seconds, and a countdown waiting behind
it would freeze. :class:`WriteQueue` takes each write as a job, runs it on its own thread,
and lets a reader wait (:meth:`WriteQueue.flush`) until every job asked for so far is done.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

Job = Callable[[], None]


class WriteQueue:
    """A FIFO of jobs and the one daemon thread that runs them.

    A job must handle its own errors (the history turns them into problems the person is
    told about); one that still raises is handed to ``on_error`` and the queue goes on.
    """

    def __init__(self, on_error: Callable[[BaseException], None], name: str = "kneetui-history-writer") -> None:
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._on_error = on_error
        self._idle = threading.Condition()
        self._pending = 0
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        """Jobs asked for and not finished yet."""
        with self._idle:
            return self._pending

    def on_writer_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def put(self, job: Job) -> None:
        with self._idle:
            if self._closed:
                raise RuntimeError("the history writer is closed")
            self._pending += 1
        self._jobs.put(job)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every job put so far has run; False if ``timeout`` passed first."""
        if self.on_writer_thread():
            return self._pending <= 1
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """Run what is queued, then stop the thread."""
        with self._idle:
            if self._closed:
                return
            self._closed = True
        self._jobs.put(None)
        if not self.on_writer_thread():
            self._thread.join()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                job()
            except BaseException as error:  # noqa: BLE001 - reported, never lost
                self._on_error(error)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

"""Asking where to write a file the person asked for (an exported programme, a report), then writing it.

One place decides what a typed path may be: confined to the patient's own folder when served,
not a folder, replaced only after asking, written atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.content import Content

from kneetui.content.text import reason
from kneetui.served import EXCHANGE_SUFFIX, OutsideYourFolder, confine, for_patient
from kneetui.storage.atomic import why_it_cannot_be_written, write_atomic
from kneetui.tui.screens.confirm import ConfirmScreen
from kneetui.tui.screens.path_prompt import PathPromptScreen


async def write_where_asked(
    app: Any,
    question: str,
    suggested: str,
    data: Callable[[], bytes],
    *,
    purpose: str,
    file_name: str,
    replacing: str,
    suffix: str = EXCHANGE_SUFFIX,
) -> Path | None:
    """Ask for a path until ``data()`` is written there, or the person presses Escape (None).

    ``file_name`` is the example given when a folder is typed; ``replacing`` ends the question
    asked before an existing file is replaced ('with this programme').
    """
    value, problem = suggested, ""
    while True:
        path = await app.push_screen_wait(PathPromptScreen(question, value, problem))
        if path is None:
            return None
        value = str(path)
        try:
            path = confine(path, purpose=purpose, suffix=suffix)
        except OutsideYourFolder as error:
            problem = str(error)
            continue
        why_not = why_it_cannot_be_written(path, file_name, for_patient)
        if why_not:
            problem = f"{why_not[0].upper()}{why_not[1:]}."
            continue
        if path.exists():
            replace = Content(f"{for_patient(path)} already exists. Replace it {replacing}?")
            if not await app.push_screen_wait(ConfirmScreen(replace, yes="Replace")):
                problem = "Not replaced; give another file name, or Escape to cancel."
                continue
        try:
            write_atomic(path, data())
        except OSError as error:
            problem = f"Cannot write {for_patient(path)}: {reason(error)}"
            continue
        return path

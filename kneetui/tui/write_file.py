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
from kneetui.storage.atomic import what_is_in_the_way, write_atomic
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
        try:
            is_folder, exists, in_a_folder = path.is_dir(), path.exists(), path.parent.is_dir()
            in_the_way = what_is_in_the_way(path) if in_a_folder and not is_folder else None
        except OSError as error:  # a name too long, a folder that cannot be read
            problem = f"Cannot write {for_patient(path)}: {reason(error)}"
            continue
        if in_the_way:
            problem = f"{for_patient(path)} is {in_the_way}; kneetui replaces only regular files, give another name."
            continue
        if not in_a_folder:  # no folder is made for a typed path: a typo would make one
            problem = f"There is no folder {for_patient(path.parent)}; give a file in a folder that exists."
            continue
        if is_folder:
            problem = f"{for_patient(path)} is a folder; give a file name, e.g. {for_patient(path / file_name)}"
            continue
        if exists:
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

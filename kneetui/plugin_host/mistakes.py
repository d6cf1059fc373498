"""The usual mistakes in a plug-in's hooks, each as one line that says what to change."""

from __future__ import annotations

import difflib
import inspect
import re
from functools import cache
from types import FunctionType, MethodType, ModuleType
from typing import Any

import pluggy

from kneetui import hookspecs
from kneetui.plugin_host.containment import at, code_location

MARKER = f"{hookspecs.PROJECT}_impl"


def hook_names() -> list[str]:
    """Every hook kneetui has."""
    return list(_hook_names())


@cache
def _hook_names() -> tuple[str, ...]:
    return tuple(
        sorted(name for name, value in vars(hookspecs).items() if name.startswith("kneetui_") and callable(value))
    )


def did_you_mean(name: str) -> str:
    """`` did you mean 'x'?`` for the closest hook name, or '' when none is close."""
    close = difflib.get_close_matches(name, hook_names(), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _functions(plugin: Any) -> list[tuple[str, Any]]:
    found = []
    for name, value in _attributes(plugin):
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, (FunctionType, MethodType)):  # inspect's isfunction or ismethod
            found.append((name, value))
    return found


def _attributes(plugin: Any) -> list[tuple[str, Any]]:
    """The plug-in's attributes, by name, read without running its code where that can be.

    All of them, not only those named ``kneetui_...``: a function marked ``@hookimpl`` under
    another name is a mistake to say in kneetui's words (with the hook it probably meant).
    """
    if isinstance(plugin, ModuleType):
        # Its namespace, which is what getattr_static finds there: dir() would call a module's own __dir__.
        namespace = vars(plugin)
        return [(name, namespace[name]) for name in sorted(name for name in namespace if isinstance(name, str))]
    found = []
    for name in dir(plugin):
        try:
            found.append((name, inspect.getattr_static(plugin, name)))
        except AttributeError:
            continue
    return found


def hook_mistakes(plugin: Any, package: str = "") -> tuple[list[str], list[str]]:
    """What is wrong with ``plugin``'s hooks, its attributes read once for both lists.

    First, functions named like a hook but without ``@hookimpl`` (kneetui never calls
    them); then functions marked ``@hookimpl`` whose name is not a kneetui hook.
    """
    functions = _functions(plugin)
    return _unmarked(functions, package), _unknown(functions, package)


def _unmarked(functions: list[tuple[str, Any]], package: str) -> list[str]:
    known = set(_hook_names())
    return [
        f"{name} is not marked @hookimpl, so kneetui never calls it: add '@hookimpl' above it "
        f"(from kneetui.api import hookimpl){at(code_location(function, package))}"
        for name, function in functions
        if name in known and not hasattr(function, MARKER)
    ]


def _unknown(functions: list[tuple[str, Any]], package: str) -> list[str]:
    known = set(_hook_names())
    return [
        f"unknown hook {name!r}{did_you_mean(name) or '; kneetui has: ' + ', '.join(sorted(known))}"
        f"{at(code_location(function, package))}"
        for name, function in functions
        if hasattr(function, MARKER) and name not in known
    ]


def wrong_arguments(error: pluggy.PluginValidationError, package: str = "") -> str:
    """A hook that asks for arguments kneetui does not pass, said plainly ('' when not that)."""
    text = str(error)
    hook = re.search(r"for hook '(\w+)'", text)
    if not hook or "can not be found in the hookspec" not in text:
        return ""
    spec = getattr(hookspecs, hook.group(1), None)
    function = getattr(error.plugin, hook.group(1), None)
    if spec is None or function is None:
        return ""
    expected = list(inspect.signature(spec).parameters)
    asked = list(inspect.signature(function).parameters)
    unknown = [name for name in asked if name not in expected]
    return (
        f"{hook.group(1)} asks for {', '.join(map(repr, unknown))}, which kneetui does not pass: "
        f"name its arguments from {', '.join(map(repr, expected))}{at(code_location(function, package))}"
    )


def returned_instead_of_registering(hook: str, returned: Any, function: Any, package: str = "") -> str:
    """The problem of a register hook that returned its items instead of calling ``register``."""
    return (
        f"{hook} returned a {type(returned).__name__}, which kneetui ignores: call register(item) once per item "
        f"and return nothing{at(code_location(function, package))}"
    )

"""kneetui's own content: exercises, education, aids, FAQ and programmes for medial knee pain.

It is loaded through the ``kneetui`` entry-point group exactly like a third-party
plug-in, and uses nothing but :mod:`kneetui.api`.
"""

from kneetui.api import Register, hookimpl
from kneetui_medial_knee import aids, education, exercises, faq, programs, sources

__version__ = "0.1.0"


@hookimpl
def kneetui_register_sources(register: Register) -> None:
    for source in sources.SOURCES:
        register(source)


@hookimpl
def kneetui_register_exercises(register: Register) -> None:
    for exercise in exercises.EXERCISES:
        register(exercise)


@hookimpl
def kneetui_register_aids(register: Register) -> None:
    for aid in aids.AIDS:
        register(aid)


@hookimpl
def kneetui_register_faq(register: Register) -> None:
    for entry in faq.FAQ:
        register(entry)


@hookimpl
def kneetui_register_topics(register: Register) -> None:
    for topic in education.TOPICS:
        register(topic)


@hookimpl
def kneetui_register_programs(register: Register) -> None:
    for program in programs.PROGRAMS:
        register(program)

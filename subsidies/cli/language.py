"""The ``subsidies`` command in the officer's language (:mod:`subsidies.domain.i18n`).

The commands' help (docstrings, ``help=`` of options) is written in English in the code;
:func:`translate_commands` puts each one's translation in its place when the command is
run, keeping the English as the message id, so one process can answer in either
language. Click's own words ("Usage:", "Error: …", "Show this message and exit.") are
looked up by click through the standard ``gettext`` module: :func:`use_for_click` points
that at the same catalogue and language.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator

import click

from subsidies.domain.i18n import DOMAIN, ENGLISH, LOCALE_DIR, _, language

_ORIGINAL = "_subsidies_msgid"  # where the English text of a help is kept


def commands(group: click.Command) -> Iterator[click.Command]:
    """``group`` and every command under it."""
    yield group
    if isinstance(group, click.Group):
        for command in group.commands.values():
            yield from commands(command)


def help_texts(group: click.Command) -> Iterator[str]:
    """Every help text of the commands and their options, in English (the message ids)."""
    for command in commands(group):
        for owner, attribute in _helps(command):
            text = _original(owner, attribute)
            if text:
                yield text


def _helps(command: click.Command) -> Iterator[tuple[object, str]]:
    yield command, "help"
    yield command, "short_help"
    yield command, "epilog"
    for param in command.params:
        if isinstance(param, click.Option):
            yield param, "help"


def _original(owner: object, attribute: str) -> str | None:
    """The English text of ``owner.attribute``, kept aside the first time it is seen."""
    kept = owner.__dict__.setdefault(_ORIGINAL, {})
    if attribute not in kept:
        kept[attribute] = getattr(owner, attribute, None)
    return kept[attribute]


def translate_commands(group: click.Command) -> None:
    """Every help of ``group``'s commands in the current language."""
    for command in commands(group):
        for owner, attribute in _helps(command):
            text = _original(owner, attribute)
            if text:
                setattr(owner, attribute, _(text))


def use_for_click() -> None:
    """Click's own messages from this catalogue, in the current language (click asks the
    ``gettext`` module's global domain, which reads the language from ``LANGUAGE``)."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language() if language() != ENGLISH else "en"

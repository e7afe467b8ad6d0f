"""The officer's language: Chinese (简体中文) unless English is asked for.

Every officer-facing text (statuses, reasons, messages, progress labels, ``--help``) is
written in English in the code, as a gettext message id, and translated through the
catalogue ``locale/zh_CN/LC_MESSAGES/subsidies.po`` beside this module (compiled to the
``.mo`` shipped with it; ``tools/catalogue.py`` extracts, updates and compiles them).

The language is, first of all, the one :func:`speaking` sets for a piece of work (the
browser console's request); else ``$SUBSIDIES_LANG``; else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``, the first one set): English for an ``en…`` value, Chinese for
anything else, ``C`` and ``POSIX`` included, since the officers read Chinese.
Citations, quotes and Chinese column headers are never translated.
"""

from __future__ import annotations

import contextvars
import functools
import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from string import Formatter

import numpy as np
import pandas as pd

DOMAIN = "subsidies"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
CHINESE, ENGLISH = "zh_CN", "en"
LANGUAGES = (CHINESE, ENGLISH)
SETTING = "SUBSIDIES_LANG"
_LOCALE_VARIABLES = (SETTING, "LC_ALL", "LC_MESSAGES", "LANG")

_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("language", default=None)


def language() -> str:
    """``zh_CN`` or ``en``: :func:`speaking`'s choice, else the setting, else the locale."""
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    for variable in _LOCALE_VARIABLES:
        value = os.environ.get(variable, "").strip()
        if value:
            return language_of(value)
    return CHINESE


def language_of(value: str) -> str:
    """A locale or language name (``en_US.UTF-8``, ``zh_CN``, ``en``, ``中文``) as ``en`` or
    ``zh_CN``: English only when it says so."""
    return ENGLISH if value.strip().lower().startswith("en") else CHINESE


@contextmanager
def speaking(name: str) -> Iterator[None]:
    """Texts made inside the block are in ``name``'s language (:func:`language_of`)."""
    token = _chosen.set(language_of(name))
    try:
        yield
    finally:
        _chosen.reset(token)


@functools.cache
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English: the message ids themselves)."""
    if lang == ENGLISH:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def _(message: str) -> str:
    """``message`` in the officer's language."""
    return catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message for ``n``, in the officer's language."""
    return catalogue(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A short ``message`` (a status, a column) told apart by its ``context``."""
    return catalogue(language()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue where it is defined; :func:`_` translates it
    where it is shown."""
    return message


def fill(template: str, **fields) -> np.ndarray | str:
    """``template.format(**fields)`` where each field is one text or a column of texts (an
    array or Series, one per row): the rows' texts, built column-wise. A translated
    template may order the fields differently, or leave one out."""
    pieces: list = []
    for literal, name, _spec, _conversion in Formatter().parse(template):
        if literal:
            pieces.append(literal)
        if name is not None:
            value = fields[name]
            if isinstance(value, pd.Series):
                value = value.to_numpy(dtype=object)
            if isinstance(value, np.ndarray):
                pieces.append(value if value.dtype == object else value.astype(str).astype(object))
            else:
                pieces.append(str(value))
    out: np.ndarray | str = ""
    for piece in pieces:
        out = out + piece
    return out


def separator() -> str:
    """Between the parts of a reason or message: ``；`` in Chinese, ``; `` in English."""
    return _("; ")

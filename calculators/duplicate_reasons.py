"""The words of a duplicate's reason, shared by the whole-array kernel
(:mod:`calculators.duplicates`) and the plain reading (:mod:`calculators.duplicates_reference`).

Each template is translated once per call (``_``) and filled by :func:`fill`, which takes
plain strings (one claim) or object arrays of strings (every duplicate at once) alike, so
the kernel and the reference say exactly the same thing in the officer's language.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from subsidies.domain.i18n import _, pgettext

if TYPE_CHECKING:
    from calculators.base import Calculator

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, **values):
    """``template`` with each ``{name}`` replaced by ``values[name]``: a string, or an object
    array of strings (then the result is an array, row by row)."""
    parts = _PLACEHOLDER.split(template)
    out = parts[0]
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        out = out + values[name] + text
    return out


def duplicate(what):
    """``duplicate: …`` (in Chinese ``重复：…``)."""
    return fill(_("duplicate: {what}"), what=what)


def duplicate_prefix() -> str:
    """What a duplicate's reason starts with."""
    return _("duplicate: {what}").format(what="")


def period(start, end):
    """``2024-07-01..2024-08-31`` (ISO dates given as text)."""
    return fill(_("{start}..{end}"), start=start, end=end)


def described(calculator: Calculator, columns: tuple[str, ...], texts: dict):
    """A key's columns and values (``texts``: each column's values as text):
    ``credit_code 9163…, level city``, in Chinese ``统一社会信用代码 9163…，认定级别 市级``."""
    # TRANSLATORS: the column's {label} (its Chinese header) may stand for its {name}
    named = pgettext("key column", "{name}")
    # TRANSLATORS: a choice's {label} may stand for its {value}
    chosen = pgettext("key value", "{value}")
    shown = None
    for name in columns:
        column = calculator.template.column(name)
        value = texts[name]
        if column.choices:
            value = _labelled(chosen, column, value)
        part = named.format(name=name, label=column.label) + " " + value
        shown = part if shown is None else shown + _(", ") + part
    return shown


def _labelled(chosen: str, column, value):
    label = lambda v: chosen.format(value=v, label=column.label_of(v))  # noqa: E731
    if isinstance(value, np.ndarray):
        return np.array([label(v) for v in value], dtype=object)
    return label(value)


def key_in_file(key: str, values, claim, row):
    return duplicate(
        fill(
            _(
                "{key} ({values}) already claimed by claim {claim} (row {row}); "
                "paid once only (一次性)"
            ),
            key=_(key),
            values=values,
            claim=claim,
            row=row,
        )
    )


def overlap_in_file(key: str, person, own_period, claim, row, other):
    return duplicate(
        fill(
            _("{key} {person} period {period} overlaps claim {claim} (row {row}, {other})"),
            key=_(key),
            person=person,
            period=own_period,
            claim=claim,
            row=row,
            other=other,
        )
    )


def claim_id_before(claim, source):
    return duplicate(
        fill(_("claim_id {claim} already decided in {source}"), claim=claim, source=source)
    )


def key_before(key: str, values, claim, source):
    return duplicate(
        fill(
            _(
                "{key} ({values}) already claimed by claim {claim} in {source}; "
                "paid once only (一次性)"
            ),
            key=_(key),
            values=values,
            claim=claim,
            source=source,
        )
    )


def overlap_before(key: str, person, own_period, claim, source, other):
    return duplicate(
        fill(
            _("{key} {person} period {period} overlaps claim {claim} in {source} ({other})"),
            key=_(key),
            person=person,
            period=own_period,
            claim=claim,
            source=source,
            other=other,
        )
    )

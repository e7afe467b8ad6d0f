"""Person data behind roles: the full 身份证号, a person's name and bank account are shown
only to the roles that need them (permission ``person.read``: 出纳 for payment files, 审计);
everyone else sees them masked (``630102********1234``, ``张*``, ``***************4529``).

What is masked: a claim's input row (its 身份证号 columns, the name beside each, its
account columns), a payment's payee and account, and, in any text read back (reasons,
audit details), every 身份证号 and every run of ten or more digits. A ledger without
officers has nobody signed in (``viewer`` None) and nothing to mask for.
"""

from __future__ import annotations

from dataclasses import replace

from calculators.registry import calculator
from calculators.template import Template
from subsidies.domain.identity import mask_account, mask_id, mask_name, mask_numbers
from subsidies.workflow.base import Officer
from subsidies.workflow.payments import Payment, is_account_header
from subsidies.workflow.permissions import may

PERSON_KINDS = ("resident_id", "party_id")


def sees_person_data(viewer: Officer | None) -> bool:
    return viewer is None or may(viewer, "person.read")


def text(value: str, viewer: Officer | None) -> str:
    """``value`` with every 身份证号 and account number masked, unless ``viewer`` may see them."""
    return value if sees_person_data(viewer) else mask_numbers(value)


def _person_columns(template: Template) -> tuple[set[str], set[str]]:
    """(身份证号 columns, the name column beside each: ``worker_name`` for ``worker_id``)."""
    ids = {c.name for c in template.columns if c.kind in PERSON_KINDS}
    names = {f"{c.removesuffix('_id')}_name" for c in ids}
    return ids, names


def row(values: dict, template: Template, viewer: Officer | None) -> dict:
    """A claim's input row as ``viewer`` may see it."""
    if sees_person_data(viewer):
        return values
    ids, names = _person_columns(template)
    shown = {}
    for key, value in values.items():
        value = "" if value is None else str(value)
        if key in ids:
            value = mask_id(value)
        elif key in names:
            value = mask_name(value)
        elif is_account_header(key):
            value = mask_account(value)
        shown[key] = mask_numbers(value)
    return shown


def payment(p: Payment, viewer: Officer | None) -> Payment:
    """A payment with its account, and a person's name and 身份证号, as ``viewer`` may see
    them (a unit's name and credit code are not person data)."""
    if sees_person_data(viewer):
        return p
    calc = calculator(p.program_id)
    person = calc.template.column(calc.payee[1]).kind in PERSON_KINDS
    return replace(
        p,
        payee_name=mask_name(p.payee_name) if person else p.payee_name,
        payee_id=mask_id(p.payee_id) if person else p.payee_id,
        account=mask_account(p.account),
    )

"""Every idempotency key form, as ``ledgers/keys.py`` builds it and reads its program back."""

from __future__ import annotations

import pytest

from ledgers import keys

GOJI = "qinghai.goji_broker"

# builder(arguments) -> key, the entry kind posted under it, the program the key names
FORMS = [
    (keys.appropriation("QH2024", "青财社指〔2024〕12号"), "appropriation:QH2024:青财社指〔2024〕12号",
     "appropriation", None),
    (keys.accrual(GOJI, "GJ-000001"), "accrual:qinghai.goji_broker:GJ-000001", "payout_accrued",
     GOJI),
    (keys.disbursement(GOJI, "GJ-000001", 1), "disbursement:qinghai.goji_broker:GJ-000001:1",
     "disbursement", GOJI),
    (keys.disbursement(GOJI, "GJ-000001", 2), "disbursement:qinghai.goji_broker:GJ-000001:2",
     "disbursement", GOJI),
    (keys.returned_payment("SL2024120200001"), "return:SL2024120200001", "returned_payment",
     None),
    (keys.recovery(GOJI, "GJ-000001"), "recovery:qinghai.goji_broker:GJ-000001",
     "recovery_raised", GOJI),
    (keys.repayment(GOJI, "GJ-000001", 1), "repayment:qinghai.goji_broker:GJ-000001:1",
     "recovery_received", GOJI),
    (keys.reversal(42), "reversal:42", "reversal", None),
]  # fmt: skip


@pytest.mark.parametrize(("built", "expected", "kind", "program"), FORMS)
def test_every_key_form(built: str, expected: str, kind: str, program: str | None) -> None:
    assert built == expected
    assert keys.program_named(kind, built) == program


def test_the_batch_builders_give_the_one_key_builders_keys() -> None:
    claims = ["GJ-000001", "GJ-000002", "申领-3"]
    assert keys.accruals(GOJI, claims) == [keys.accrual(GOJI, c) for c in claims]
    assert keys.first_disbursements(GOJI, iter(claims)) == [
        keys.disbursement(GOJI, c, 1) for c in claims
    ]


def test_a_key_names_a_program_only_in_its_own_kinds_form() -> None:
    assert keys.program_named("disbursement", keys.accrual(GOJI, "C1")) is None
    assert keys.program_named("recovery_received", keys.disbursement(GOJI, "C1", 1)) is None
    assert keys.program_named("payout_accrued", keys.accrual(GOJI, "C1")) == GOJI
    for odd in ("accrual:C-1", "accrual::C-1", "accrual:P:", "pay:C1", "disbursement", ""):
        assert keys.program_named("payout_accrued", odd) is None
        assert keys.program_named("disbursement", odd) is None
    # a claim id may hold ':'; a program id may not, so the program is the second part
    assert keys.program_named("disbursement", keys.disbursement(GOJI, "A:B", 3)) == GOJI


@pytest.mark.parametrize("program", ["", "qinghai:goji", "a:b:c"])
def test_a_program_id_that_would_break_the_key_apart_is_refused(program: str) -> None:
    for build in (keys.accrual, keys.recovery):
        with pytest.raises(ValueError, match="holds no ':'"):
            build(program, "C1")
    with pytest.raises(ValueError, match="holds no ':'"):
        keys.accruals(program, ["C1"])
    with pytest.raises(ValueError, match="holds no ':'"):
        keys.disbursement(program, "C1", 1)
    with pytest.raises(ValueError, match="holds no ':'"):
        keys.repayment(program, "C1", 1)

"""The people a batch's claims name, for 查询: every cell that is a 身份证号 or a
统一社会信用代码 (:data:`subsidies.domain.identity.PERSON_CODE`), with its claim, written
with the batch's decisions (``claim_people``, migration 0017). A person never paid is found
by an index, not by reading every claim's cells."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, select

from subsidies.domain.identity import PERSON_CODE
from subsidies.workflow.tables import claim_people

LIMIT = 200  # claims of one person shown at most


def people_rows(batch_id: int, claim_ids: list[str], raw: pd.DataFrame) -> list[tuple]:
    """(code, batch, claim) for each cell of ``raw`` (a claim a row) that is a person's code."""
    claims = pd.Series(claim_ids, index=raw.index, dtype=object)
    found = set()
    for name in raw.columns:
        cells = raw[name].astype("string").str.strip().str.upper()
        hit = cells.str.fullmatch(PERSON_CODE).fillna(False).to_numpy(dtype=bool)
        if hit.any():
            found.update(zip(cells[hit], claims[hit], strict=True))
    return [(code, batch_id, claim) for code, claim in sorted(found)]


def claims_naming(conn: Connection, text: str) -> list[str]:
    """The claim ids whose cells hold ``text`` as a person's code (through its index)."""
    query = (
        select(claim_people.c.claim_id)
        .where(claim_people.c.code == text.strip().upper())
        .distinct()
        .limit(LIMIT)
    )
    return list(conn.scalars(query))

"""One-time keys ("一次性") and overlapping periods, within a file and against earlier claims.

As ``docs/policies/README.md`` reads "一次性": a key is taken only by an
``eligible`` claim (a refused claim does not block a corrected one), and of two
claims with the same key the later row is the ``duplicate``, naming the first.
A rule with several keys (startup grant: the founder, and the business) refuses a
claim when *any* of its keys is taken. The goji broker subsidy is not one-time,
but the same worker on two claims whose picking periods share a day is a
duplicate of the earlier eligible one.

Rows whose keys appear once are settled in bulk; only the contested rows are
walked in file order, since whether a row takes a key depends on the rows before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from subsidies.domain.i18n import _, pgettext

if TYPE_CHECKING:
    from calculators.base import Calculator


def screening_columns(calculator: Calculator) -> list[str]:
    """The typed columns a later batch is screened on (one-time keys, overlap person and dates)."""
    columns = [c for key in calculator.one_time_keys for c in key.columns]
    if calculator.overlap is not None:
        o = calculator.overlap
        columns += [o.person, o.start, o.end]
    return list(dict.fromkeys(columns))


def find_duplicates(
    calculator: Calculator,
    claims: pd.DataFrame,
    eligible: pd.Series,
    row_numbers: pd.Series,
    prior: pd.DataFrame | None = None,
) -> pd.Series:
    """For each row, "" or the reason it duplicates an earlier claim."""
    out = pd.Series("", index=claims.index, dtype=object)
    if not eligible.any():
        return out
    if prior is not None and len(prior):
        _against_prior(calculator, claims, eligible, prior, out)
    open_ = eligible & (out.to_numpy() == "")
    if calculator.one_time_keys:
        _one_time_in_file(calculator, claims, open_, row_numbers, out)
    if calculator.overlap is not None:
        _overlap_in_file(calculator, claims, open_ & (out.to_numpy() == ""), row_numbers, out)
    return out


def _describe(calculator: Calculator, values: dict[str, object]) -> str:
    """The key's columns and values: ``credit_code 9163…, level city`` (in Chinese
    ``统一社会信用代码 9163…，认定级别 市级``)."""
    # TRANSLATORS: the column's {label} (its Chinese header) may stand for its {name}
    named = pgettext("key column", "{name}")
    # TRANSLATORS: a choice's {label} may stand for its {value}
    chosen = pgettext("key value", "{value}")
    shown = []
    for name, value in values.items():
        column = calculator.template.column(name)
        if column.choices:
            value = chosen.format(value=value, label=column.label_of(value))
        shown.append(f"{named.format(name=name, label=column.label)} {value}")
    return _(", ").join(shown)


def duplicate_prefix() -> str:
    """What a duplicate's reason starts with: ``duplicate: `` (in Chinese ``重复：``)."""
    return _("duplicate: {what}").format(what="")


def _duplicate(what: str) -> str:
    return _("duplicate: {what}").format(what=what)


def _period(start, end) -> str:
    return _("{start}..{end}").format(start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}")


def _one_time_in_file(calculator, claims, open_, row_numbers, out) -> None:
    keys = calculator.one_time_keys
    rows = claims.loc[open_, list(dict.fromkeys(c for key in keys for c in key.columns))]
    contested = np.zeros(len(rows), dtype=bool)
    for key in keys:
        contested |= rows.duplicated(list(key.columns), keep=False).to_numpy()
    if not contested.any():
        return
    taken: dict[tuple, object] = {}
    contested_rows = rows[contested]
    for row in contested_rows.index:
        for key in keys:
            value = (key.label, *(contested_rows.at[row, c] for c in key.columns))
            if value in taken:
                first = taken[value]
                out[row] = _duplicate(
                    _(
                        "{key} ({values}) already claimed by claim {claim} (row {row}); "
                        "paid once only (一次性)"
                    ).format(
                        key=_(key.label),
                        values=_describe(calculator, {c: claims.at[row, c] for c in key.columns}),
                        claim=claims.at[first, "claim_id"],
                        row=row_numbers[first],
                    )
                )
                break
        else:
            for key in keys:
                taken[(key.label, *(contested_rows.at[row, c] for c in key.columns))] = row


def _overlap_in_file(calculator, claims, open_, row_numbers, out) -> None:
    key = calculator.overlap
    open_rows = np.flatnonzero(open_.to_numpy())
    repeated = claims[key.person].iloc[open_rows].duplicated(keep=False).to_numpy()
    contested = claims.iloc[open_rows[repeated]]
    accepted: dict[str, list[tuple]] = {}
    for row in contested.index:
        person = contested.at[row, key.person]
        start, end = contested.at[row, key.start], contested.at[row, key.end]
        clash = next((a for a in accepted.get(person, []) if a[0] <= end and start <= a[1]), None)
        if clash is None:
            accepted.setdefault(person, []).append((start, end, row))
        else:
            first = clash[2]
            out[row] = _duplicate(
                _(
                    "{key} {person} period {period} overlaps claim {claim} (row {row}, {other})"
                ).format(
                    key=_(key.label),
                    person=person,
                    period=_period(start, end),
                    claim=claims.at[first, "claim_id"],
                    row=row_numbers[first],
                    other=_period(clash[0], clash[1]),
                )
            )


def _against_prior(calculator, claims, eligible, prior, out) -> None:
    """Earlier claims (in the ledger) take their keys first; ``prior`` has ``source``."""
    candidates = claims[eligible].reset_index()
    same_id = candidates.merge(prior[["claim_id", "source"]], on="claim_id", how="inner")
    for _position, hit in same_id.drop_duplicates("index").iterrows():
        out[hit["index"]] = _duplicate(
            _("claim_id {claim} already decided in {source}").format(
                claim=hit["claim_id"], source=hit["source"]
            )
        )
    for key in calculator.one_time_keys:
        cols = list(key.columns)
        hits = candidates.merge(
            prior[[*cols, "claim_id", "source"]].rename(columns={"claim_id": "prior_claim"}),
            on=cols,
            how="inner",
        )
        for _position, hit in hits.drop_duplicates("index").iterrows():
            if out[hit["index"]] == "":
                out[hit["index"]] = _duplicate(
                    _(
                        "{key} ({values}) already claimed by claim {claim} in {source}; "
                        "paid once only (一次性)"
                    ).format(
                        key=_(key.label),
                        values=_describe(calculator, {c: hit[c] for c in cols}),
                        claim=hit["prior_claim"],
                        source=hit["source"],
                    )
                )
    key = calculator.overlap
    if key is not None:
        hits = candidates.merge(
            prior[[key.person, key.start, key.end, "claim_id", "source"]].rename(
                columns={key.start: "p_start", key.end: "p_end", "claim_id": "prior_claim"}
            ),
            on=key.person,
            how="inner",
        )
        hits = hits[(hits[key.start] <= hits["p_end"]) & (hits["p_start"] <= hits[key.end])]
        for _position, hit in hits.drop_duplicates("index").iterrows():
            if out[hit["index"]] == "":
                out[hit["index"]] = _duplicate(
                    _(
                        "{key} {person} period {period} overlaps claim {claim} in {source} ({other})"
                    ).format(
                        key=_(key.label),
                        person=hit[key.person],
                        period=_period(hit[key.start], hit[key.end]),
                        claim=hit["prior_claim"],
                        source=hit["source"],
                        other=_period(hit["p_start"], hit["p_end"]),
                    )
                )

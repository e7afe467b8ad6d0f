"""Bank and treasury statements read through named layouts (data files, not code).

A layout (``subsidies/data/layouts/NAME.yaml``, or any YAML file given by path) maps each
field — value_date, serial, reference, payee_name, account, amount, status,
return_reason — to the headers a bank uses, and the bank's status words to
``success`` / ``returned``. A statement with a bad line is refused whole, naming every
bad line; nothing is imported from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from calculators.coerce import parse_amounts, parse_dates
from calculators.template import normalise_header, normalise_value
from subsidies.claimfile import HEADER_SEARCH_ROWS, ClaimFileError, read_grid

FIELDS = (
    "value_date",
    "serial",
    "reference",
    "payee_name",
    "account",
    "amount",
    "status",
    "return_reason",
)


class StatementError(ValueError):
    """A statement that cannot be used; names the file and every problem."""


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    statuses: dict[str, tuple[str, ...]]

    def status_lookup(self) -> dict[str, str]:
        return {
            normalise_value(word): status
            for status, words in self.statuses.items()
            for word in words
        }


def layouts() -> list[str]:
    folder = resources.files("subsidies") / "data" / "layouts"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_layout(name: str) -> Layout:
    """A built-in layout by name, or a layout file by path."""
    path = Path(name)
    if not path.suffix:
        path = Path(str(resources.files("subsidies") / "data" / "layouts" / f"{name}.yaml"))
    if not path.exists():
        raise StatementError(
            f"no layout {name!r}; built in: {', '.join(layouts())}, or give a YAML file"
        )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = set(data.get("columns", {})) - set(FIELDS)
    if unknown:
        raise StatementError(
            f"{path}: unknown fields {sorted(unknown)}; fields are {', '.join(FIELDS)}"
        )
    return Layout(
        name=data.get("name", path.stem),
        description=data.get("description", ""),
        columns={f: tuple(v) for f, v in data["columns"].items()},
        required=tuple(data.get("required", ("value_date", "serial", "amount", "status"))),
        statuses={s: tuple(v) for s, v in data["statuses"].items()},
    )


def read_statement(path: Path, layout: Layout) -> pd.DataFrame:
    """Lines with typed fields: value_date, serial, reference, payee_name, account, amount_fen,
    status (success|returned), return_reason, row_no and line_hash."""
    try:
        grid, _ = read_grid(path)
    except ClaimFileError as error:
        raise StatementError(str(error)) from None
    lookup = {
        normalise_header(h): field for field, headers in layout.columns.items() for h in headers
    }
    header_row, found = 0, {}
    for row in range(min(HEADER_SEARCH_ROWS, len(grid))):
        cells = [normalise_header(v) for v in grid.iloc[row].tolist()]
        here = {}
        for position, cell in enumerate(cells):
            if cell in lookup and lookup[cell] not in here.values():
                here[position] = lookup[cell]
        if len(here) > len(found):
            header_row, found = row, here
        if set(layout.required) <= set(here.values()):
            break
    missing = [f for f in layout.required if f not in found.values()]
    if missing:
        wanted = "; ".join(f"{f} ({' / '.join(layout.columns.get(f, ()))})" for f in missing)
        raise StatementError(f"{path}: layout {layout.name!r}: missing columns {wanted}")
    body = grid.iloc[header_row + 1 :]
    frame = pd.DataFrame(
        {
            field: body.iloc[:, position].astype("string").fillna("").str.strip()
            for position, field in found.items()
        }
    )
    for field in FIELDS:
        if field not in frame:
            frame[field] = ""
    frame["row_no"] = np.arange(header_row + 2, header_row + 2 + len(frame))
    frame = frame[(frame[list(found.values())] != "").any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise StatementError(f"{path}: no lines under the header on row {header_row + 1}")

    problems = []
    dates, bad_date = parse_dates(frame["value_date"])
    fen, bad_amount = parse_amounts(frame["amount"].str.replace(r"^\+", "", regex=True))
    status = frame["status"].map(normalise_value).map(layout.status_lookup())
    for i in np.flatnonzero(bad_date | (frame["value_date"] == "")):
        problems.append(
            f"row {frame.at[i, 'row_no']} value_date {frame.at[i, 'value_date']!r}: not a date"
        )
    for i in np.flatnonzero(bad_amount | fen.isna() | (fen == 0).fillna(False)):
        problems.append(
            f"row {frame.at[i, 'row_no']} amount {frame.at[i, 'amount']!r}: not a positive amount"
        )
    for i in np.flatnonzero(status.isna()):
        words = ", ".join(w for ws in layout.statuses.values() for w in ws)
        problems.append(
            f"row {frame.at[i, 'row_no']} status {frame.at[i, 'status']!r}: not one of {words}"
        )
    for i in np.flatnonzero((frame["serial"] == "").to_numpy()):
        problems.append(f"row {frame.at[i, 'row_no']}: bank serial missing")
    if problems:
        raise StatementError(
            f"{path}: {len(problems)} bad lines, nothing imported: {_listed(problems)}"
        )

    lines = pd.DataFrame(
        {
            "row_no": frame["row_no"].astype(int),
            "value_date": dates.dt.date,
            "serial": frame["serial"],
            "reference": frame["reference"],
            "payee_name": frame["payee_name"],
            "account": normalise_account(frame["account"]),
            "amount_fen": fen.astype(np.int64),
            "status": status,
            "return_reason": frame["return_reason"],
        }
    )
    lines["line_hash"] = line_hashes(lines)
    repeated = lines[lines["line_hash"].duplicated(keep=False)]
    if len(repeated):
        same = [
            f"{', '.join(f'row {n}' for n in group['row_no'])}: the same line "
            f"(serial {group['serial'].iloc[0]}) {len(group)} times"
            for _, group in repeated.groupby("line_hash", sort=False)
        ]
        raise StatementError(
            f"{path}: {len(same)} lines repeated, nothing imported: {_listed(same)}"
        )
    return lines


def _listed(problems: list[str], most: int = 20) -> str:
    """The first ``most`` problems, and how many more."""
    more = f"; … {len(problems) - most} more" if len(problems) > most else ""
    return "; ".join(problems[:most]) + more


def normalise_account(accounts: pd.Series) -> pd.Series:
    """An account number as matched: every space removed (``6217 0000 1234`` is ``62170000…``),
    on the bank's lines and on the payments alike."""
    return accounts.fillna("").str.replace(r"\s", "", regex=True)


def line_hashes(lines: pd.DataFrame) -> pd.Series:
    """SHA-256 over a line's content: the same line imported twice has the same key."""
    text = (
        lines["value_date"].astype(str)
        + "|"
        + lines["serial"]
        + "|"
        + lines["reference"]
        + "|"
        + lines["payee_name"]
        + "|"
        + lines["account"]
        + "|"
        + lines["amount_fen"].astype(str)
        + "|"
        + lines["status"]
        + "|"
        + lines["return_reason"]
    )
    return text.map(lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest())

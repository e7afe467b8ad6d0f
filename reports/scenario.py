"""Budget scenarios: planned counts per program, year, region and fund, read from YAML.

::

    title: 广西"八桂系列"劳务品牌 2022—2025年资金测算
    issuer: 广西壮族自治区人力资源和社会保障厅      # 编制单位 in the title block
    price_on: "07-01"            # each line priced at the parameters in force on this day of its year
    appropriations:               # used when the ledger (--db) is not given
      - {fund: GX-2025, amount: "13,000,000", ref: 示例指标}
    lines:
      - program: guangxi.training_base
        year: 2025
        region: 广西
        fund: GX-2025
        count: 7
        source: {document: guangxi-2021-141, article: 二, quote: 建设30个自治区级劳务品牌培训示范基地}
        note: the phasing of the 30 over four years is this plan's assumption
      - program: qinghai.goji_broker       # a program whose claims vary: give the mix
        top_up_share: 30%                  # share of workers entitled to the top-up (exact)
      - program: dalian.brand_recognition
        level: city                        # provincial | city | district
      - item: 家政类培训                    # a target the catalogue has no money rule for
        unit: 人次
        reason: 培训补贴标准未在文件中规定

Every line cites the target it comes from (``source``: a document id of
``calculators/data/documents.yaml``, the article, the quoted words). Numbers with a
decimal point are read as exact Decimals, never floats; amounts are yuan as in claim files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from calculators.parameters import Document, builtin_documents
from subsidies.domain.money import AmountError, parse_yuan

DEFAULT_PRICE_ON = (7, 1)
LEVEL_NAMES = {  # the recognition levels a line may name, as a report prints them
    "provincial": "省级",
    "city": "市级",
    "district": "区级",
    "national_little_giant": "国家级小巨人",
}
LEVELS = tuple(LEVEL_NAMES)


class ScenarioError(ValueError):
    """A scenario file that cannot be used, naming the file, the line and the field."""


class _Loader(yaml.SafeLoader):
    """YAML with exact decimals: ``0.3`` is ``Decimal("0.3")``, not a float."""


_Loader.add_constructor(
    "tag:yaml.org,2002:float",
    lambda loader, node: Decimal(loader.construct_scalar(node).replace("_", "")),
)


@dataclass(frozen=True)
class Source:
    document: Document
    article: str
    quote: str

    @property
    def citation(self) -> str:
        return self.document.cite(self.article)


@dataclass(frozen=True)
class Line:
    """One planned line: ``program`` (priced) or ``item`` (a target counted, not costed)."""

    number: int  # 1-based position in ``lines``
    year: int
    region: str
    count: int
    source: Source
    program: str = ""
    fund: str = ""
    item: str = ""
    unit: str = ""  # for items: 人次, 个, 人
    reason: str = ""  # for items: why it has no money
    top_up_share: Decimal | None = None  # qinghai.goji_broker: share entitled to the top-up
    level: str = ""  # dalian.brand_recognition, qinghai.specialised_sme
    note: str = ""

    @property
    def where(self) -> str:
        return f"line {self.number} ({self.program or self.item} {self.year})"

    @property
    def key(self) -> tuple:
        """What matches a line with its counterpart in another scenario."""
        return (self.program or self.item, self.year, self.region, self.fund, self.level)


@dataclass(frozen=True)
class Appropriation:
    fund: str
    fen: int
    ref: str = ""  # the appropriation document (指标文件), or a note that the figure is an example


@dataclass(frozen=True)
class Scenario:
    path: Path
    title: str
    issuer: str
    lines: tuple[Line, ...]
    appropriations: tuple[Appropriation, ...] = ()
    price_on: tuple[int, int] = DEFAULT_PRICE_ON
    notes: tuple[str, ...] = field(default=())

    def price_date(self, year: int) -> dt.date:
        """The day whose parameters price a line of ``year``."""
        return dt.date(year, *self.price_on)

    @property
    def years(self) -> list[int]:
        return sorted({line.year for line in self.lines})

    @property
    def funds(self) -> list[str]:
        return sorted({line.fund for line in self.lines if line.fund})


def share(value: Any, where: str) -> Decimal:
    """``30%``, ``"0.3"`` or ``Decimal("0.3")`` as an exact Decimal between 0 and 1."""
    text = str(value).strip()
    try:
        result = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        raise ScenarioError(f"{where}: {value!r} is not a share (write 30% or 0.3)") from None
    if isinstance(value, float) or not (0 <= result <= 1):
        raise ScenarioError(f"{where}: {value!r} is not a share between 0 and 100%")
    return result


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ScenarioError(f"{where}: {value!r} is not a whole number ≥ 0")
    return value


def _text(entry: dict, name: str, where: str, required: bool = True) -> str:
    value = entry.get(name)
    if value is None or str(value).strip() == "":
        if required:
            raise ScenarioError(f"{where}: {name} is missing")
        return ""
    return str(value).strip()


def _source(raw: Any, where: str) -> Source:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: source must give document, article and quote")
    documents = builtin_documents()
    document = _text(raw, "document", where)
    if document not in documents:
        raise ScenarioError(
            f"{where}: source document {document!r} is not one of {', '.join(documents)}"
        )
    return Source(documents[document], _text(raw, "article", where), _text(raw, "quote", where))


TOP_FIELDS = {"title", "issuer", "price_on", "notes", "appropriations", "sources", "lines"}
LINE_FIELDS = {
    "program",
    "item",
    "year",
    "region",
    "fund",
    "count",
    "source",
    "unit",
    "reason",
    "top_up_share",
    "level",
    "note",
}


def _line(number: int, raw: Any, path: Path) -> Line:
    where = f"{path}: lines[{number}]"
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: expected a mapping")
    unknown = set(raw) - LINE_FIELDS
    if unknown:
        raise ScenarioError(f"{where}: unknown field {', '.join(sorted(map(str, unknown)))}")
    program, item = _text(raw, "program", where, False), _text(raw, "item", where, False)
    if bool(program) == bool(item):
        raise ScenarioError(f"{where}: give either program (priced) or item (counted only)")
    where = f"{where} ({program or item})"
    level = _text(raw, "level", where, False)
    if level and level not in LEVELS:
        raise ScenarioError(f"{where}: level {level!r} is not one of {', '.join(LEVELS)}")
    return Line(
        number=number,
        year=_whole(raw.get("year"), f"{where}: year"),
        region=_text(raw, "region", where),
        count=_whole(raw.get("count"), f"{where}: count"),
        source=_source(raw.get("source"), where),
        program=program,
        fund=_text(raw, "fund", where, False),
        item=item,
        unit=_text(raw, "unit", where, required=bool(item)),
        reason=_text(raw, "reason", where, required=bool(item)),
        top_up_share=(
            share(raw["top_up_share"], f"{where}: top_up_share") if "top_up_share" in raw else None
        ),
        level=level,
        note=_text(raw, "note", where, False),
    )


def _appropriation(n: int, raw: Any, path: Path) -> Appropriation:
    where = f"{path}: appropriations[{n}]"
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: expected a mapping")
    unknown = set(raw) - {"fund", "amount", "ref"}
    if unknown:
        raise ScenarioError(f"{where}: unknown field {', '.join(sorted(map(str, unknown)))}")
    amount = raw.get("amount")
    try:
        fen = parse_yuan(amount if isinstance(amount, int | Decimal) else str(amount))
    except (AmountError, TypeError) as error:
        raise ScenarioError(f"{where}: amount {amount!r}: {error}") from None
    return Appropriation(_text(raw, "fund", where), fen, _text(raw, "ref", where, False))


def _price_on(raw: Any, path: Path) -> tuple[int, int]:
    if raw is None:
        return DEFAULT_PRICE_ON
    try:
        month, day = (int(part) for part in str(raw).split("-"))
        dt.date(2024, month, day)
    except ValueError:
        raise ScenarioError(f"{path}: price_on {raw!r} is not a month and day (MM-DD)") from None
    return month, day


def load(path: Path | str) -> Scenario:
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError(f"{path}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list) or not data["lines"]:
        raise ScenarioError(f"{path}: expected a mapping with a list of lines")
    unknown = set(data) - TOP_FIELDS
    if unknown:
        raise ScenarioError(f"{path}: unknown field {', '.join(sorted(map(str, unknown)))}")
    return Scenario(
        path=path,
        title=_text(data, "title", str(path)),
        issuer=_text(data, "issuer", str(path), False),
        lines=tuple(_line(n, raw, path) for n, raw in enumerate(data["lines"], start=1)),
        appropriations=tuple(
            _appropriation(n, raw, path)
            for n, raw in enumerate(data.get("appropriations") or [], start=1)
        ),
        price_on=_price_on(data.get("price_on"), path),
        notes=tuple(str(n) for n in data.get("notes") or ()),
    )

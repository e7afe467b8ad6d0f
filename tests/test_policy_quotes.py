"""Every quoted sentence is its document's own words (issue #14).

A program's parameter file quotes its document for the program (``quote:``) and for each
dated value (``quote:`` beside the value; a value resting on another document, such as
劳动法, names it in ``document:``, which ``calculators.parameters.load_program`` resolves).
A plan scenario (``examples/scenarios``) quotes its document for each line. The texts are
``docs/policies/<source>``, the ``source:`` of the document in
``calculators/data/documents.yaml``.

Verbatim means: the quote occurs in the document's text once both are normalised by
:func:`normalised`: NFKC (the documents mix full-width and half-width punctuation: ，and ,
（）and ()) and every whitespace character removed, line breaks included. Nothing looser:
curly quotation marks “” are not straight ones, 、 is not a comma. A quote that leaves words
out is marked ``abridged: true`` and writes …… (or …) at each gap; each fragment between
must occur in the document, in the quote's order. A value the document does not state at
all (Qinghai sets no 公示, so its minimum notice is 0) has no quote but a ``note:`` saying so.

The programs are found as the software finds them, through the entry points
(:func:`calculators.registry.calculators`), wherever their files live. A plugin's programs
(another distribution, quoting its own documents) are not held to these texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from calculators.parameters import Document, Program, builtin_documents
from calculators.registry import calculators
from reports.scenario import load

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "docs" / "policies"
SCENARIOS = ROOT / "examples" / "scenarios"
GAP = re.compile("…+")


def normalised(text: str) -> str:
    """NFKC, then no whitespace at all: the form a quote and its document are compared in."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def fragments(quote: str, abridged: bool) -> list[str]:
    """The words a quote takes from its document: all of it, or the parts between its ……."""
    parts = GAP.split(quote) if abridged else [quote]
    return [normalised(part) for part in parts if normalised(part)]


def is_quoted(quote: str, text: str, abridged: bool = False) -> bool:
    """Whether ``quote`` is the words of ``text`` (each fragment, in order, if abridged)."""
    body, at = normalised(text), 0
    for fragment in fragments(quote, abridged):
        found = body.find(fragment, at)
        if found < 0:
            return False
        at = found + len(fragment)
    return True


def text_of(document: Document) -> str:
    return (POLICIES / document.source).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Quote:
    where: str
    document: Document
    quote: str
    abridged: bool
    note: str = ""  # why a value has no quote: its document does not state it


def quotes(program: Program) -> Iterator[Quote]:
    """The program's quote and every dated value's."""
    yield Quote(f"{program.id} (program)", program.document, program.quote, program.abridged)
    for parameter in program.parameters.values():
        for value in parameter.values:
            where = f"{program.id}.{parameter.name} from {value.start}"
            yield Quote(where, value.document, value.quote, value.abridged, value.note)


BUILTIN = [c.program for c in calculators() if type(c).__module__.startswith("calculators.")]


def test_the_programs_are_found() -> None:
    found = {p.id for p in BUILTIN}
    assert {"qinghai.transport", "dalian.brand_recognition", "guangxi.training_base"} <= found
    assert {"yingkou.brand_assessment", "shandong.brand_assessment"} <= found


def test_every_document_has_its_text_in_the_repository() -> None:
    documents = builtin_documents().values()
    missing = [d.id for d in documents if not d.source or not (POLICIES / d.source).is_file()]
    assert not missing, f"documents.yaml names no text in {POLICIES} for {missing}"
    assert sorted(d.source for d in documents) == sorted(p.name for p in POLICIES.glob("*.txt"))


@pytest.mark.parametrize("program", BUILTIN, ids=lambda p: p.id)
def test_every_quote_is_the_documents_words(program: Program) -> None:
    wrong = [problem for q in quotes(program) if (problem := unquoted(q))]
    assert not wrong, "\n".join(wrong)


def unquoted(q: Quote) -> str | None:
    """What is wrong with a quote, or None when it is its document's words."""
    if not q.document.source:
        return f"{q.where}: {q.document.id} has no text in {POLICIES}"
    if not q.quote:
        return None if q.note else f"{q.where}: no quote (nor a note saying the document has none)"
    if not is_quoted(q.quote, text_of(q.document), q.abridged):
        marked = " (abridged)" if q.abridged else ""
        return f"{q.where}: {q.quote!r}{marked} is not in {q.document.source}"
    return None


@pytest.mark.parametrize("scenario", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_plan_line_quotes_its_document(scenario: Path) -> None:
    """Moved from tests/reports/test_plan.py, which skipped it when the texts were not beside it."""
    for line in load(scenario).lines:
        source = line.source
        assert is_quoted(source.quote, text_of(source.document)), (
            f"{scenario.name} {line.where}: {source.quote!r} not in the document"
        )
        assert source.citation.startswith(source.document.number)


# ------------------------------------------------------------ the comparison itself

QINGHAI = "qinghai-2022-draft.txt"


@pytest.mark.parametrize(
    ("quote", "abridged", "quoted"),
    [
        ("给予每人不高于1000元的一次性交通补助", False, True),
        ("（包括农业专业合作社、个体工商户和民办非企业单位）", False, True),  # full-width brackets
        ("转移就业劳动力超过40万人次。 二、挖掘优势培树劳务品牌", False, True),  # lines apart
        ("给予每人不高于2000元的一次性交通补助", False, False),
        ('行业龙头企业"专精特新"发展', False, False),  # the document's marks are “”
        ("跨省就业3个月以上……一次性交通补助", False, False),  # a gap not marked abridged
        ("跨省就业3个月以上……一次性交通补助", True, True),
        ("一次性交通补助……跨省就业3个月以上", True, False),  # fragments out of order
        ("跨省就业3个月以上…不高于1000元…", True, True),
        ("青海省劳务品牌建设 (a Qinghai payout is for Qinghai's 脱贫人口)", False, False),
    ],
)
def test_a_quote_is_held_to_the_words(quote: str, abridged: bool, quoted: bool) -> None:
    text = (POLICIES / QINGHAI).read_text(encoding="utf-8")
    assert is_quoted(quote, text, abridged) is quoted

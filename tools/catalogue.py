"""The message catalogue: extract the English messages, update the Chinese ``.po``, compile
the ``.mo`` that ships (Babel's own functions, with two sources of messages of ours).

    python tools/catalogue.py update    # new messages into subsidies.po (to translate),
                                        # gone ones marked obsolete, then compile
    python tools/catalogue.py compile   # subsidies.po -> subsidies.mo
    python tools/catalogue.py check     # what is untranslated or stale (exit 1 if any)

Messages come from ``_()``, ``N_()``, ``ngettext()`` and ``pgettext()`` in the packages'
sources, from the ``subsidies`` command's help texts (read from the commands themselves),
and from click's own sources (its "Usage:", "Error: …"), which are translated where the
``.po`` has them. ``tests/test_catalogue.py`` runs :func:`problems`.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("subsidies", "calculators", "ledgers", "reports")
PO = ROOT / "subsidies/domain/locale/zh_CN/LC_MESSAGES/subsidies.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "N_": None,
    "pgettext": ((1, "c"), 2),
    "count_text": (2, 3),
    "counted_each": (2, 3),
}
CLICK = "click"  # the location given to click's messages
CLICK_BY_NAME = ("required",)  # click translates these from a variable: no call to extract
NOTE = "TRANSLATORS:"  # a comment above a message for the translator (a field it may use)
_FIELD = re.compile(r"\{([^{}!:]*)[^{}]*\}")


def extract() -> Catalog:
    """Every message of ours and of click, with where it is used."""
    catalog = Catalog(locale=None, project="subsidy-ledger", charset="utf-8")
    for package in PACKAGES:
        for file, line, message, comments, context in extract_from_dir(
            ROOT / package, [("**.py", "python")], keywords=KEYWORDS, comment_tags=[NOTE]
        ):
            catalog.add(
                message,
                locations=[(f"{package}/{file}", line)],
                auto_comments=comments,
                context=context,
            )
    for message in _command_help():
        catalog.add(message, locations=[("subsidies/cli/--help", 0)])
    for file, line, message, _comments, context in extract_from_dir(
        Path(click.__file__).parent, [("**.py", "python")], keywords=KEYWORDS
    ):
        if message not in catalog:
            catalog.add(message, locations=[(f"{CLICK}/{file}", line)], context=context)
    for message in CLICK_BY_NAME:
        catalog.add(message, locations=[(f"{CLICK}/core.py", 0)])
    return catalog


def _command_help() -> list[str]:
    from subsidies.cli import main
    from subsidies.cli.language import help_texts

    return list(dict.fromkeys(help_texts(main)))


def read() -> Catalog:
    with PO.open("rb") as file:
        return read_po(file, locale="zh_CN", domain="subsidies")


def write(catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=True, include_lineno=False)
    PO.write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update() -> None:
    catalog = read() if PO.exists() else _new()
    catalog.update(extract(), no_fuzzy_matching=True)
    write(catalog)
    MO.write_bytes(compiled(read()))


def _new() -> Catalog:
    return Catalog(
        locale="zh_CN",
        domain="subsidies",
        project="subsidy-ledger",
        msgid_bugs_address="",
        copyright_holder="",
        fuzzy=False,
    )


def problems() -> list[str]:
    """Messages of ours not translated (or fuzzy), translations that name a field their
    message does not have (nor a ``# TRANSLATORS:`` comment above it), and a ``.mo`` that
    is not the ``.po`` compiled."""
    catalog, found = read(), []
    for message in extract():
        if not message.id or any(file.split("/")[0] == CLICK for file, _ in message.locations):
            continue
        ours = catalog.get(message.id, context=message.context)
        where = f"{message.locations[0][0]}:{message.locations[0][1]}"
        if ours is None or not _translated(ours) or ours.fuzzy:
            found.append(f"{where}: not translated: {message.id!r}")
    for message in catalog:
        if message.id and _translated(message):
            found += [f"{message.id!r}: {f}" for f in _stray_fields(message)]
    if not MO.exists() or MO.read_bytes() != compiled(catalog):
        found.append(f"{MO.relative_to(ROOT)} is not {PO.name} compiled: run `update` or `compile`")
    return found


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def _stray_fields(message) -> list[str]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    allowed = {name for text in (*ids, *message.auto_comments) for name in _FIELD.findall(text)}
    return [
        f"field {{{name}}} is not in the message"
        for text in strings
        for name in _FIELD.findall(text)
        if name not in allowed
    ]


def main(command: str) -> int:
    if command == "update":
        update()
    elif command == "compile":
        MO.write_bytes(compiled(read()))
    elif command == "check":
        found = problems()
        print("\n".join(found) or "catalogue complete")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))

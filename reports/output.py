"""Write a report in the format its file name asks for: ``.pdf``, ``.xlsx`` or ``.csv``."""

from __future__ import annotations

from pathlib import Path

from reports import csvfile, pdf, xlsx
from reports.document import Report
from subsidies.domain.progress import SILENT, Progress

WRITERS = {".pdf": pdf.render, ".xlsx": xlsx.render, ".csv": csvfile.render}


class OutputError(ValueError):
    """An output file whose format is not known."""


def write(
    report: Report, path: Path | str, progress: Progress = SILENT, shown: str | None = None
) -> Path:
    """Write ``report`` to ``path``, telling ``progress`` how the writing goes (the file
    named ``shown``, by default ``path``'s name: a file staged under another name)."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise OutputError(f"{path}: write .pdf, .xlsx or .csv, not {path.suffix or 'no suffix'!r}")
    writer(report, path, progress, shown or path.name)
    return path

"""Builders shared by the report tests: PDF text, goji claim files, paths of the examples."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from subsidies.domain.identity import resident_id_check_character

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCENARIOS = EXAMPLES / "scenarios"


def pdf_pages(path: Path) -> list[str]:
    """The text of each page as a reader extracts it, runs of white space made one space."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def resident_id(sequence: int, birth: str = "19900101", region: str = "632801") -> str:
    first17 = f"{region}{birth}{sequence:03d}"[:17]
    return first17 + resident_id_check_character(first17)


def goji_claims(
    path: Path, n: int, start: dt.date = dt.date(2024, 7, 1), prefix: str = "GJ"
) -> Path:
    """``n`` eligible goji claims, distinct workers, every third one a 脱贫劳动力 (100 元)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "claim_id",
                "broker_name",
                "broker_id",
                "worker_name",
                "worker_id",
                "worker_hukou",
                "farmer_herder",
                "destination",
                "start_date",
                "end_date",
                "worker_group",
            ]
        )
        for i in range(n):
            worker = resident_id(
                i % 1000, birth=f"{1960 + i // 1000 % 40}0101", region=f"63{2801 + i // 40000:04d}"
            )
            writer.writerow(
                [
                    f"{prefix}-{i:06d}",
                    "马建国",
                    resident_id(999, "19750505"),
                    f"韩{'玉兰生福秀英'[i % 6]}",
                    worker,
                    "青海",
                    "是",
                    "格尔木市",
                    start.isoformat(),
                    (start + dt.timedelta(days=70)).isoformat(),
                    "脱贫劳动力" if i % 3 == 0 else "其他",
                ]
            )
    return path

"""What a console server is told when it starts (``subsidies serve`` options)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """``db``: the ledger URL or SQLite file; ``files``: the folder for uploads and the files
    the console writes (bank files, notices), named by the server, never by a request;
    ``https``: the console is reached over HTTPS (session cookie marked Secure)."""

    db: str
    files: Path
    https: bool = False
    max_upload_bytes: int = 64 * MIB  # 200,000 claims as XLSX are about 15 MiB
    sign_in_attempts: int = 5  # per address and minute, before 429
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

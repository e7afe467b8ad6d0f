"""Where ``subsidies login`` keeps the session token between commands.

One file, ``sessions.json`` in the OS user's config directory (platformdirs: on Linux
``~/.config/subsidies``, on Windows the user profile's AppData), or in
``$SUBSIDIES_CONFIG_DIR``; readable by its owner only (mode 0600, its folder 0700). It
maps each ledger (its URL, without a password) to the token signed in there, so the demo
ledger and the office's do not share a session. ``$SUBSIDIES_TOKEN`` overrides the file,
for a script that signed in once. The token is the session's only secret: the ledger keeps
only its SHA-256, and it ends at ``subsidies logout`` or when it expires.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from platformdirs import user_config_dir

from ledgers import Ledger

ENV_TOKEN = "SUBSIDIES_TOKEN"
ENV_DIR = "SUBSIDIES_CONFIG_DIR"


def folder() -> Path:
    return Path(os.environ.get(ENV_DIR) or user_config_dir("subsidies", appauthor=False))


def _file() -> Path:
    return folder() / "sessions.json"


def _key(ledger: Ledger) -> str:
    return ledger.engine.url.render_as_string(hide_password=True)


def _read() -> dict[str, str]:
    try:
        found = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _write(tokens: dict[str, str]) -> None:
    """Write the file whole, owner-only from its first byte (then renamed into place)."""
    where = folder()
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, partial = tempfile.mkstemp(dir=where, prefix=".sessions-")
    try:
        os.chmod(partial, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(tokens, out)
        os.replace(partial, _file())
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def token(ledger: Ledger) -> str | None:
    """The session token for ``ledger``: ``$SUBSIDIES_TOKEN``, else the one kept."""
    return os.environ.get(ENV_TOKEN) or _read().get(_key(ledger))


def keep(ledger: Ledger, value: str) -> Path:
    """Keep ``value`` as the session token for ``ledger``; returns the file."""
    tokens = _read()
    tokens[_key(ledger)] = value
    _write(tokens)
    return _file()


def forget(ledger: Ledger) -> str | None:
    """Drop the kept token for ``ledger``; returns it (None if there was none)."""
    tokens = _read()
    found = tokens.pop(_key(ledger), None)
    if found is not None:
        _write(tokens)
    return found

"""Peer programs (``shared/peers/``) run in their own virtual environments.

Each peer gets ``bench/.peer-venv-<name>``, made on first use with ``python3 -m venv``
and the pip commands ``shared/peers/README.md`` gives, so the peer's dependencies never
mix with ours. A peer prints one summary line (``... 1,234,567 persons/s ...``);
:func:`run_peer` returns it parsed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# shared/ lies beside the work tree (here and in CI); SUBSIDIES_PEERS_DIR overrides it
PEERS = Path(os.environ.get("SUBSIDIES_PEERS_DIR", ROOT.parent / "shared" / "peers"))

_RATE = re.compile(r"([\d,]+(?:\.\d+)?)\s+([A-Za-z]+)/s")
_SECONDS = re.compile(r"([\d.]+)\s*s\b")


class PeerError(RuntimeError):
    """A peer that could not be installed or run, or printed no rate."""


@dataclass(frozen=True)
class PeerResult:
    rate: float  # units per second, as the peer printed it
    unit: str  # "persons", "entries", ...
    seconds: float | None  # the timed part, when the line gives it
    line: str  # the summary line as printed


def _python3() -> str:
    """The interpreter to make a venv from: python3 on PATH, else the one running us."""
    return shutil.which("python3") or sys.executable


def ensure_venv(name: str, pip_commands: list[list[str]], *, quiet: bool = True) -> Path:
    """``bench/.peer-venv-<name>`` with the packages installed; returns its python.

    ``pip_commands`` are pip argument lists (``[["install", "openfisca-core"]]``); they run
    once, and a marker file records them so a changed list reinstalls.
    """
    venv = BENCH / f".peer-venv-{name}"
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    wanted = "\n".join(" ".join(c) for c in pip_commands)
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    if not python.exists():
        print(f"[peer] creating {venv.relative_to(ROOT)} ...", file=sys.stderr, flush=True)
        subprocess.run([_python3(), "-m", "venv", str(venv)], check=True)
    for command in pip_commands:
        print(f"[peer] pip {' '.join(command)}", file=sys.stderr, flush=True)
        done = subprocess.run(
            [str(python), "-m", "pip", *command, *(["-q"] if quiet else [])],
            capture_output=quiet,
            text=True,
        )
        if done.returncode != 0:
            detail = (done.stderr or done.stdout or "").strip()[-2000:] if quiet else ""
            raise PeerError(f"pip {' '.join(command)} failed in {venv}:\n{detail}")
    marker.write_text(wanted)
    return python


def parse_summary(output: str) -> PeerResult:
    """The last line with ``N unit/s`` in a peer's stdout."""
    for line in reversed(output.strip().splitlines()):
        rate = _RATE.search(line)
        if rate:
            seconds = _SECONDS.search(line[: rate.start()])
            return PeerResult(
                rate=float(rate.group(1).replace(",", "")),
                unit=rate.group(2),
                seconds=float(seconds.group(1)) if seconds else None,
                line=line.strip(),
            )
    raise PeerError(f"no '... N/s ...' summary line in the peer's output:\n{output[-2000:]}")


def run_peer(python: Path, script: str, *args: str | int, timeout: float = 900) -> PeerResult:
    """Run ``shared/peers/<script> args`` with the venv's python and parse its summary."""
    path = PEERS / script
    if not path.exists():
        raise PeerError(f"{path}: no such peer script (set SUBSIDIES_PEERS_DIR)")
    done = subprocess.run(
        [str(python), str(path), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=BENCH,
    )
    if done.returncode != 0:
        raise PeerError(f"{script} exited {done.returncode}:\n{done.stderr.strip()[-2000:]}")
    return parse_summary(done.stdout)


OPENFISCA = ("openfisca", [["install", "openfisca-core"]])
PYTHON_ACCOUNTING = (
    "python-accounting",
    [["install", "--no-deps", "python-accounting"], ["install", "sqlalchemy", "python-dateutil<3"]],
)


def openfisca_python() -> Path:
    name, commands = OPENFISCA
    return ensure_venv(name, commands)


def python_accounting(n: int, db: Path, *, timeout: float = 900) -> PeerResult:
    """python-accounting 2 posting ``n`` entries, one commit each, on the SQLite file ``db``
    (``shared/peers/python_accounting_post.py``, in ``bench/.peer-venv-python-accounting``)."""
    name, commands = PYTHON_ACCOUNTING
    return run_peer(
        ensure_venv(name, commands), "python_accounting_post.py", n, str(db), timeout=timeout
    )

"""A file written whole or not at all: into a temporary file beside it, renamed into place.

A writer killed half-way leaves the path as it was (no file, or the previous one) and a
hidden ``.NAME.…partial`` file beside it, never a file that looks complete and is not.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def partial_file(path: Path) -> Iterator[Path]:
    """A temporary path in ``path``'s folder (the same file system, so a rename is atomic),
    ending in ``path``'s suffix (a writer that chooses its format by the suffix sees the
    right one), removed when the ``with`` block ends unless the caller has put it in place
    with :func:`put_in_place`."""
    path = Path(path)
    suffix = f".partial{path.suffix}"
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def put_in_place(temporary: Path, path: Path) -> None:
    """Flush ``temporary`` to disk and rename it to ``path`` (replacing any file there)."""
    with open(temporary, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Write to the yielded temporary path; on success it becomes ``path``, on failure
    ``path`` is untouched."""
    with partial_file(path) as temporary:
        yield temporary
        put_in_place(temporary, Path(path))

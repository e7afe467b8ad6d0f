"""Uploaded files: only the kinds a step reads (.csv or .xlsx; .yaml for a plan's
scenario), no larger than the server allows (:class:`~subsidies.console.security.BodyLimit`
refuses the request before it is read), kept under the server's files folder by a name
the server makes, never the name the browser sent."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse

from subsidies.console.web import Ctx, Refused

TABLES = (".csv", ".xlsx")
XLSX_MAGIC = b"PK\x03\x04"  # an XLSX workbook is a zip file


def save(ctx: Ctx, name: str, folder: str, suffixes: tuple[str, ...] = TABLES) -> Path:
    """The uploaded file of form field ``name``, saved under ``files/folder``."""
    upload = ctx.form.get(name) if ctx.form else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Refused("请选择要上传的文件")
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in suffixes:
        raise Refused(f"{upload.filename}：只接受 {' / '.join(suffixes)} 文件")
    data = upload.file.read()
    if not data:
        raise Refused(f"{upload.filename}：文件是空的")
    if suffix == ".xlsx" and not data.startswith(XLSX_MAGIC):
        raise Refused(f"{upload.filename}：不是 XLSX 工作簿（文件内容与扩展名不符）")
    target = ctx.settings.files / folder
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{dt.date.today():%Y%m%d}-{uuid.uuid4().hex[:12]}{suffix}"
    path.write_bytes(data)
    return path


def written(ctx: Ctx, folder: str, suffix: str) -> Path:
    """A new path for a file the console writes (a bank file, a results file)."""
    target = ctx.settings.files / folder
    target.mkdir(parents=True, exist_ok=True)
    return target / f"{dt.date.today():%Y%m%d}-{uuid.uuid4().hex[:12]}{suffix}"


def made_for_download(ctx: Ctx, suffix: str, write, filename: str) -> FileResponse:
    """A file written by ``write(path)`` for this response only, removed once sent."""
    path = written(ctx, "downloads", suffix)
    try:
        write(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(
        path, filename=filename, background=BackgroundTask(path.unlink, missing_ok=True)
    )

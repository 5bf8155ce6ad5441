"""POST /v1/documents (upload and ingest) and DELETE /v1/documents/{source}; admin key only."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile
from starlette.concurrency import run_in_threadpool

from bot.api.deps import AssistantDep, require_admin
from bot.api.errors import ApiError
from bot.api.schemas import ErrorOut, IngestOut, RemovedOut
from bot.assistant import Assistant
from bot.settings import Settings
from retrieval.loaders import SUPPORTED_SUFFIXES

_CHUNK = 1 << 20
# multipart framing around the file; the file itself is checked against the exact limit
MULTIPART_SLACK = 64 * 1024


def upload_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "uploads"


def upload_limit(settings: Settings) -> tuple[int, str]:
    """Largest accepted upload body in bytes, and the sentence that refuses a larger one."""
    limit = int(settings.max_upload_mb * 1024 * 1024)
    return limit + MULTIPART_SLACK, too_large(settings.max_upload_mb)


def too_large(limit_mb: float) -> str:
    return f"The file is larger than {limit_mb:g} MB; split it or raise HUIQI_MAX_UPLOAD_MB."


def documents_router(settings: Settings) -> APIRouter:
    """The upload routes, with the body limit taken from ``settings.max_upload_mb``."""
    limit = int(settings.max_upload_mb * 1024 * 1024)
    router = APIRouter(tags=["documents"], dependencies=[Depends(require_admin)])

    @router.post(
        "/v1/documents",
        response_model=IngestOut,
        status_code=201,
        responses={
            413: {"model": ErrorOut, "description": "The file is larger than HUIQI_MAX_UPLOAD_MB."},
            415: {"model": ErrorOut, "description": "Not a supported policy file type."},
            422: {"model": ErrorOut, "description": "The file cannot be read; the message says why."},
        },
        summary="Upload a policy file and index it (admin key)",
    )
    async def upload(
        file: Annotated[UploadFile, File(description=f"A policy file: {', '.join(SUPPORTED_SUFFIXES)}.")],
        assistant: AssistantDep,
    ) -> dict[str, Any]:
        """Save the file under ``data_dir/uploads`` and ingest it; returns the ingest report."""
        name = _safe_name(file.filename)
        staging = upload_dir(settings) / f".incoming-{uuid.uuid4().hex}"
        try:
            staged = staging / name
            await _save(file, staged, limit, settings.max_upload_mb)
            return await run_in_threadpool(_ingest, assistant, staged, upload_dir(settings) / name)
        finally:
            await run_in_threadpool(shutil.rmtree, staging, True)

    @router.delete(
        "/v1/documents/{source}",
        response_model=RemovedOut,
        responses={404: {"model": ErrorOut, "description": "No indexed source file has this name."}},
        summary="Remove a source file's clauses (admin key)",
    )
    async def remove(source: str, assistant: AssistantDep) -> dict[str, Any]:
        """Delete every clause that came from ``source`` (a file name), and the uploaded file."""
        if source not in assistant.kb.sources():
            raise ApiError(
                404, f"No indexed source file named '{source[:200]}'; GET /v1/policies lists sources."
            )
        removed = await run_in_threadpool(assistant.kb.remove_source, source)
        stored = upload_dir(settings) / source
        if stored.parent == upload_dir(settings) and stored.is_file():
            stored.unlink()
        return {"source": source, "removed": removed}

    return router


def _safe_name(filename: str | None) -> str:
    name = Path((filename or "").replace("\\", "/")).name.strip()
    if not name or name.startswith(".") or len(name) > 200:
        raise ApiError(
            422, "The upload needs a file name such as 政策.txt (not hidden, at most 200 characters)."
        )
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ApiError(
            415, f"'{name}' is not a supported policy file; upload one of {', '.join(SUPPORTED_SUFFIXES)}."
        )
    return name


async def _save(file: UploadFile, target: Path, limit: int, limit_mb: float) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with target.open("wb") as out:
        while chunk := await file.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise ApiError(413, too_large(limit_mb))
            out.write(chunk)


def _ingest(assistant: Assistant, staged: Path, final: Path) -> dict[str, Any]:
    report = assistant.kb.ingest([staged])
    reasons = [reason for file, reason in report.skipped if file == staged.name]
    if reasons:
        # nothing was indexed and nothing already stored was touched
        raise ApiError(422, reasons[0], code="unreadable_document")
    final.parent.mkdir(parents=True, exist_ok=True)
    staged.replace(final)
    return {**report.to_dict(), "source": final.name}

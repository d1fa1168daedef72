"""The HTTP API (FastAPI): for systems that fall back to this extractor when their own parser fails.

* ``GET /health`` — liveness and version.
* ``POST /extract`` — a report file (multipart field ``file``, or the raw body with
  ``?filename=report.pdf``) → its output document.
* ``POST /extract/section`` — ``{"section": "t3", "text": "...", "format": "2021"}`` → the
  fields and checks of that one table.

Requests over the size limit get 413; a file that is not a report's text 415 (binary,
undecodable, scanned PDF) or 422 (readable but no standard table); a request that takes
longer than the timeout 504. Run it with ``python -m extractor serve``.
"""

from __future__ import annotations

import asyncio
import os
from typing import Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from . import __version__
from .errors import InputError, NotAReportError
from .pipeline import Options, extract_section, extract_source
from .reading import read_bytes

MAX_BYTES = int(os.environ.get("EXTRACTOR_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
TIMEOUT_SECONDS = float(os.environ.get("EXTRACTOR_REQUEST_TIMEOUT", 120))


class SectionRequest(BaseModel):
    section: Literal["t2", "t3", "t4"]
    text: str = Field(min_length=1, max_length=MAX_BYTES)
    format: Literal["2021", "2019"] | None = None


class _TooLarge(Exception):
    pass


def create_app(
    options: Options | None = None, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS
) -> FastAPI:
    """The API; ``options`` may carry a model client for the fallback."""
    app = FastAPI(title="gov-report-extractor", version=__version__)
    options = options or Options()

    @app.exception_handler(_TooLarge)
    async def too_large(request: Request, exc: _TooLarge) -> JSONResponse:
        return JSONResponse({"detail": f"request body over the limit of {max_bytes} bytes"}, status_code=413)

    @app.get("/health")
    async def health() -> dict:
        return {
            "status": "ok",
            "version": __version__,
            "llm": options.llm is not None and options.mode != "never",
        }

    @app.post("/extract")
    async def extract_upload(request: Request, filename: str = "report.txt") -> dict:
        data, name = await _upload(request, filename, max_bytes)
        doc = await _within(timeout, _extract_bytes, data, name, options)
        return doc.model_dump(mode="json")

    @app.post("/extract/section")
    async def extract_one_section(request: Request) -> dict:
        body = await _body(request, max_bytes)
        try:
            asked = SectionRequest.model_validate_json(body)
        except ValueError as exc:
            raise HTTPException(422, f"expected JSON {{section, text, format?}}: {exc}") from None
        doc = await _within(timeout, extract_section, asked.section, asked.text, asked.format, "<section>")
        return doc.model_dump(mode="json")

    return app


async def _body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``max_bytes``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _upload(request: Request, filename: str, max_bytes: int) -> tuple[bytes, str]:
    body = await _body(request, max_bytes)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return body, filename
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartParser

    async def replay():
        yield body
        yield b""

    form = await MultiPartParser(request.headers, replay()).parse()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(422, "multipart upload without a 'file' field")
    return await upload.read(), upload.filename or filename


def _extract_bytes(data: bytes, name: str, options: Options):
    try:
        src = read_bytes(data, name)
    except InputError as exc:
        raise HTTPException(415, f"{name}: {exc}") from None
    try:
        return extract_source(src, name, options)
    except NotAReportError as exc:
        raise HTTPException(422, f"{name}: {exc}") from None


async def _within(timeout: float, function, *args):
    try:
        return await asyncio.wait_for(run_in_threadpool(function, *args), timeout)
    except TimeoutError:
        raise HTTPException(504, f"extraction took longer than {timeout:g} s") from None
    except InputError as exc:
        raise HTTPException(422, str(exc)) from None

"""The HTTP API (FastAPI): for systems that fall back to this extractor when their own parser fails.

* ``GET /health`` — liveness and version.
* ``POST /extract`` — a report file (multipart field ``file``, or the raw body with
  ``?filename=report.pdf``) → its output document.
* ``POST /extract/section`` — ``{"section": "t3", "text": "...", "format": "2021"}`` → the
  fields and checks of that one table.

Uploads are FastAPI ``UploadFile`` s and bodies pydantic models, so ``/docs`` can try every
call. Requests over the size limit get 413 (also when streamed without a length); a file that
is not a report's text 415 (binary, undecodable, scanned PDF) or 422 (readable but no standard
table); a malformed request 422; a request that takes longer than the timeout 504. Every 4xx
``detail`` is one readable line (a malformed request's also lists its ``errors``). Run it with
``python -m extractor serve`` (on 127.0.0.1 unless told otherwise).
"""

from __future__ import annotations

import asyncio
import os
from typing import Annotated, Any, Literal

from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .errors import InputError, NotAReportError
from .models import Document
from .pipeline import Options, extract_section, extract_source
from .reading import read_bytes

MAX_BYTES = int(os.environ.get("EXTRACTOR_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
TIMEOUT_SECONDS = float(os.environ.get("EXTRACTOR_REQUEST_TIMEOUT", 120))


class SectionRequest(BaseModel):
    """One table's text, read alone."""

    section: Literal["t2", "t3", "t4"] = Field(description="the table: t2 (二), t3 (三) or t4 (四)")
    text: str = Field(min_length=1, max_length=MAX_BYTES, description="the table as text, rows as lines")
    format: Literal["2021", "2019"] | None = Field(
        default=None, description="the table format; read from the table's header when not given"
    )


class TooLarge(HTTPException):
    """A request body over the limit: 413 (an HTTPException, so that no body parser turns it
    into another error)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the limit of {limit} bytes")


class BodyLimit:
    """ASGI middleware: a body declared or streamed past ``limit`` bytes gets 413."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            response = JSONResponse({"detail": TooLarge(self.limit).detail}, status_code=413)
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge(self.limit)
            return message

        await self.app(scope, counted, send)


def readable(exc: RequestValidationError) -> str:
    """A malformed request's errors as one line: ``body.section: Input should be 't2', ...``."""
    return "; ".join(
        f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
        for error in exc.errors()
    )


def create_app(
    options: Options | None = None, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS
) -> FastAPI:
    """The API; ``options`` may carry a model client for the fallback."""
    app = FastAPI(
        title="gov-report-extractor",
        version=__version__,
        description="Validated data from 政府信息公开工作年度报告: POST a report file to /extract.",
    )
    app.add_middleware(BodyLimit, limit=max_bytes)
    options = options or Options()

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors: Any = exc.errors()
        return JSONResponse({"detail": readable(exc), "errors": _plain(errors)}, status_code=422)

    @app.get("/health")
    async def health() -> dict:
        return {
            "status": "ok",
            "version": __version__,
            "llm": options.llm is not None and options.mode != "never",
        }

    @app.post(
        "/extract",
        summary="extract one report file",
        description="The report as the multipart field `file`, or as the raw body with `?filename=` "
        "(its suffix tells a PDF, Word or web page from a text).",
    )
    async def extract_upload(
        request: Request,
        file: Annotated[UploadFile | None, File(description="the report: .txt .md .pdf .docx .html")] = None,
        filename: Annotated[str, Query(description="the name of a raw-body upload")] = "report.txt",
    ) -> dict:
        if file is not None:
            data, name = await file.read(), file.filename or filename
        elif request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise HTTPException(422, "multipart upload without a 'file' field")
        else:
            data, name = await request.body(), filename
        doc = await _within(timeout, extract_bytes, data, name, options)
        return doc.model_dump(mode="json")

    @app.post("/extract/section", summary="extract one table given as text")
    async def extract_one_section(asked: SectionRequest) -> dict:
        doc = await _within(timeout, extract_section, asked.section, asked.text, asked.format, "<section>")
        return doc.model_dump(mode="json")

    return app


def _plain(errors: list[dict]) -> list[dict]:
    """Validation errors as JSON can carry them (their ``ctx`` may hold exceptions)."""
    return [{key: value for key, value in error.items() if key in ("type", "loc", "msg")} for error in errors]


def extract_bytes(data: bytes, name: str, options: Options) -> Document:
    """A file's document, or the HTTP error that says why it has none (415, 422)."""
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

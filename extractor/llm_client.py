"""LLM client: the ``openai`` SDK through ``instructor`` (tool calls, which llama.cpp's server
constrains by a grammar built from the response schema), against any OpenAI-compatible
endpoint (hosted APIs, vLLM, Ollama, llama.cpp's server).

Two budgets, kept apart: *transport* retries (tenacity, exponential backoff) for timeouts,
connection errors, 429 and 5xx, around each HTTP call; *validation* re-asks (instructor's
``max_retries``) when an answer fails its schema, with the precise error sent back. Each
answer carries what it cost (:attr:`Reply.usage`), exact also when threads share the client.
The endpoint may be started on first need (``LLMConfig.connect``): a run answered wholly from
the cache starts no server.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, cast

import instructor
import openai
import tenacity
from instructor.core.exceptions import InstructorRetryException
from pydantic import ValidationError

from .cache import AnswerCache, cache_key
from .errors import ExtractorError
from .llm_schemas import Answer
from .models import Usage


class LLMError(ExtractorError):
    """The model gave no usable answer: unreachable, or never a valid one. ``usage``: what the
    question cost all the same (its calls, tokens and seconds)."""

    usage: Usage

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage if usage is not None else Usage()


@dataclass
class LLMConfig:
    """Where the model is and how to talk to it. Nothing is built in: flags or environment."""

    base_url: str
    model: str
    api_key: str = "not-needed"
    timeout: float = 300.0
    max_retries: int = 2  # validation re-asks after the first answer
    transport_retries: int = 3  # per HTTP call: timeouts, 429, 5xx
    backoff: float = 1.0  # seconds, doubled at each transport retry
    temperature: float = 0.0
    max_tokens: int = 2048
    # What identifies the endpoint in the cache key; a local server on a random port is
    # identified by its model file instead, so its answers survive a restart.
    endpoint_id: str | None = None
    # Starts the endpoint on the first question the cache cannot answer; returns its base URL.
    connect: Callable[[], str] | None = None
    # Where the endpoint's own log is (a local server's), named when it fails.
    server_log: str | None = None

    def resolved(self) -> LLMConfig:
        """This configuration with its endpoint started (``connect``) and named by its URL: what
        to hand to another process, which cannot share the one that starts it."""
        return self if self.connect is None else replace(self, base_url=self.connect(), connect=None)

    @classmethod
    def from_env(cls, **overrides: Any) -> LLMConfig | None:
        """From ``EXTRACTOR_LLM_BASE_URL`` (or ``OPENAI_BASE_URL``), ``EXTRACTOR_LLM_MODEL``,
        ``EXTRACTOR_LLM_API_KEY`` (or ``OPENAI_API_KEY``); ``None`` when no endpoint is set."""
        values: dict[str, Any] = {
            "base_url": os.environ.get("EXTRACTOR_LLM_BASE_URL") or os.environ.get("OPENAI_BASE_URL"),
            "model": os.environ.get("EXTRACTOR_LLM_MODEL"),
            "api_key": os.environ.get("EXTRACTOR_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values = {k: v for k, v in values.items() if v is not None}
        if not values.get("base_url"):
            return None
        values.setdefault("model", "default")
        return cls(**values)


@dataclass
class Reply:
    """A validated answer and what it cost. ``salvaged``: the last re-ask still failed, and the
    answer was kept without its ungrounded values (``answer.rejected``)."""

    answer: Answer
    salvaged: bool = False
    cached: bool = False
    detail: str = ""
    usage: Usage = field(default_factory=Usage)


_ASKING: ContextVar[Usage | None] = ContextVar("asking", default=None)  # the cost of the ask under way


def is_transient(exc: BaseException) -> bool:
    """Errors worth another try after a pause: timeouts, lost connections, 429, 5xx."""
    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError | openai.RateLimitError):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


@dataclass
class LLMClient:
    """Asks a model for schema-constrained answers, with cache, retries and accounting."""

    config: LLMConfig
    cache: AnswerCache = field(default_factory=lambda: AnswerCache(None))
    http_client: Any = None  # an httpx client of the openai SDK, e.g. a mock transport in tests
    usage: Usage = field(default_factory=Usage)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._instructor: instructor.Instructor | None = None
        self._unreachable: str | None = None
        self.unavailable = 0  # questions the endpoint could not answer (down, unreachable)

    def _client(self) -> instructor.Instructor:
        """The instructor client, the endpoint started first when it is started on need."""
        with self._lock:
            if self._unreachable:
                raise LLMError(self._unreachable)
            if self._instructor is None:
                try:
                    base_url = self.config.connect() if self.config.connect else self.config.base_url
                except ExtractorError as exc:
                    self.unavailable += 1
                    self._unreachable = f"model unavailable: {exc}"
                    raise LLMError(self._unreachable) from exc
                raw = openai.OpenAI(
                    base_url=base_url,
                    api_key=self.config.api_key,
                    timeout=self.config.timeout,
                    max_retries=0,  # transport retries are ours (tenacity), counted and bounded
                    http_client=self.http_client,
                )
                create = self._with_transport_retries(raw.chat.completions.create)
                self._instructor = instructor.Instructor(
                    client=raw,
                    create=instructor.patch(create=create, mode=instructor.Mode.TOOLS),
                    mode=instructor.Mode.TOOLS,
                )
            return self._instructor

    def _spend(self, **spent: Any) -> None:
        """Count a cost on the client's total and on the ask under way."""
        cost = Usage(**spent)
        with self._lock:
            self.usage.add(cost)
        asking = _ASKING.get()
        if asking is not None:
            asking.add(cost)

    def _with_transport_retries(self, create: Any) -> Any:
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.config.transport_retries + 1),
            wait=tenacity.wait_exponential(multiplier=self.config.backoff, max=60),
            retry=tenacity.retry_if_exception(is_transient),
            reraise=True,
        )

        @functools.wraps(create)
        def create_with_retries(*args: Any, **kwargs: Any) -> Any:
            def one_call() -> Any:
                self._spend(calls=1)
                response = create(*args, **kwargs)
                if getattr(response, "usage", None) is not None:
                    self._spend(
                        prompt_tokens=response.usage.prompt_tokens or 0,
                        completion_tokens=response.usage.completion_tokens or 0,
                    )
                return response

            return retrying(one_call)

        return create_with_retries

    def ask(
        self,
        prompt_version: str,
        response_model: type[Answer],
        messages: list[dict[str, str]],
        ctx: dict[str, Any],
    ) -> Reply:
        """The validated answer to ``messages``, from the cache when it has it."""
        text = "\n".join(m["content"] for m in messages)
        endpoint = self.config.endpoint_id or self.config.base_url
        key = cache_key(self.config.model, endpoint, prompt_version, response_model.model_json_schema(), text)
        cached = self.cache.get(key)
        if cached is not None:
            reply = self._from_cache(cached, response_model, ctx)
            if reply is not None:
                self._spend(questions=1, cache_hits=1)
                reply.usage = Usage(questions=1, cache_hits=1)
                return reply
        usage = Usage()
        token = _ASKING.set(usage)
        began = time.perf_counter()
        try:
            self._spend(questions=1)
            reply = self._ask_model(response_model, messages, ctx)
        except LLMError as exc:
            exc.usage = usage  # a question that failed cost what it cost
            raise
        finally:
            self._spend(seconds=time.perf_counter() - began)
            _ASKING.reset(token)
        reply.usage = usage
        self.cache.put(
            key, {"answer": reply.answer.model_dump(), "salvaged": reply.salvaged, "detail": reply.detail}
        )
        return reply

    def _ask_model(
        self, response_model: type[Answer], messages: list[dict[str, str]], ctx: dict[str, Any]
    ) -> Reply:
        try:
            answer = self._client().chat.completions.create(
                model=self.config.model,
                response_model=response_model,
                messages=cast(Any, messages),
                max_retries=self.config.max_retries,
                context=ctx,
                temperature=self.config.temperature,
                max_tokens=self.config.max_tokens,
            )
            return Reply(answer)
        except InstructorRetryException as exc:
            last = exc.failed_attempts[-1].exception if exc.failed_attempts else exc.__cause__
            if isinstance(last, openai.OpenAIError):  # the endpoint, not the answer
                raise self._unavailable(last) from exc
            return self._salvage(exc, response_model, ctx)
        except openai.OpenAIError as exc:
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: BaseException) -> LLMError:
        self.unavailable += 1
        log = f" (the server's log: {self.config.server_log})" if self.config.server_log else ""
        return LLMError(f"model unavailable: {type(exc).__name__}: {_one_line(exc)}{log}")

    def _salvage(
        self, exc: InstructorRetryException, response_model: type[Answer], ctx: dict[str, Any]
    ) -> Reply:
        """After the last re-ask: keep what the text supports of the last answer, nothing else."""
        last_error = _one_line(exc.failed_attempts[-1].exception) if exc.failed_attempts else _one_line(exc)
        data = _tool_arguments(exc.failed_attempts[-1].completion) if exc.failed_attempts else None
        if data is not None:
            try:
                answer = response_model.model_validate(data, context={**ctx, "salvage": True})
            except ValidationError:
                pass
            else:
                return Reply(answer, salvaged=True, detail=last_error)
        raise LLMError(f"no valid answer after {exc.n_attempts} attempts: {last_error}")

    def _from_cache(
        self, cached: dict[str, Any], response_model: type[Answer], ctx: dict[str, Any]
    ) -> Reply | None:
        salvaged = cached.get("salvaged", False)
        try:
            answer = response_model.model_validate(
                cached["answer"], context={**ctx, "salvage": True} if salvaged else ctx
            )
        except ValidationError:  # a schema or validator changed since: ask again
            return None
        return Reply(answer, salvaged=salvaged, cached=True, detail=cached.get("detail", ""))


def _tool_arguments(completion: Any) -> dict[str, Any] | None:
    try:
        return json.loads(completion.choices[0].message.tool_calls[0].function.arguments)
    except (AttributeError, IndexError, TypeError, ValueError):
        return None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:500]

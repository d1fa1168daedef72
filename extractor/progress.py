"""The model's progress for people: a bar on stderr per section of a report the model is asked
about (questions answered of those asked, calls, the attempt when a question needed more than
one, cache hits, tokens, seconds), for a single report and for a batch alike (tqdm keeps the
bars of reports read at once apart)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from tqdm import tqdm

from .models import ModelStep


class ModelProgress:
    """Receives :class:`ModelStep` s (the pipeline's ``Options.progress``) and draws them."""

    def __init__(self) -> None:
        self._bars: dict[tuple[str, str], tqdm] = {}
        self._lock = threading.Lock()

    def __call__(self, step: ModelStep) -> None:
        key = (step.source, step.task)
        with self._lock:
            bar = self._bars.get(key)
            if bar is None:
                bar = tqdm(
                    total=step.questions,
                    desc=f"model {Path(step.source).name or step.source} {step.task}",
                    unit="question",
                    file=sys.stderr,
                    dynamic_ncols=True,
                    leave=True,
                )
                self._bars[key] = bar
            bar.total = step.questions
            bar.n = step.answered
            usage = step.usage
            tokens = usage.prompt_tokens + usage.completion_tokens
            retried = f", attempt {step.attempts}" if step.attempts > 1 else ""
            cost = f"{usage.cache_hits} cached, {tokens} tokens, {usage.seconds:.1f} s"
            failed = f" — {step.error}" if step.error else ""
            bar.set_postfix_str(f"{usage.calls} calls{retried}, {cost}{failed}", refresh=True)
            if step.error or step.answered >= step.questions:
                bar.close()
                del self._bars[key]

    def close(self) -> None:
        with self._lock:
            for bar in self._bars.values():
                bar.close()
            self._bars.clear()

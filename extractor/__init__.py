"""Validated extraction of 政府信息公开工作年度报告 (information-disclosure annual reports)."""

from importlib.machinery import EXTENSION_SUFFIXES

from . import pipeline
from .errors import ExtractorError, InputError, NotAReportError
from .models import Check, Document, Evidence
from .pipeline import extract


def compiled() -> bool:
    """Whether the rule path runs compiled (the opt-in build of ``setup.py``), not as source."""
    return pipeline.__file__ is not None and pipeline.__file__.endswith(tuple(EXTENSION_SUFFIXES))


__all__ = [
    "Check",
    "Document",
    "Evidence",
    "ExtractorError",
    "InputError",
    "NotAReportError",
    "compiled",
    "extract",
]
__version__ = "0.1.0"

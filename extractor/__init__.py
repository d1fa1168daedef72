"""Validated extraction of 政府信息公开工作年度报告 (information-disclosure annual reports)."""

from .errors import ExtractorError, InputError, NotAReportError
from .models import Check, Document, Evidence
from .pipeline import extract

__all__ = [
    "Check",
    "Document",
    "Evidence",
    "ExtractorError",
    "InputError",
    "NotAReportError",
    "extract",
]
__version__ = "0.1.0"

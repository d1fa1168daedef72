"""Exception types. Each carries a one-line message fit to show a user."""


class ExtractorError(Exception):
    """Base class of every error the extractor raises on purpose."""


class InputError(ExtractorError):
    """The input cannot be read as text: missing, empty, binary, undecodable."""


class NotAReportError(ExtractorError):
    """The text reads fine but is not a 政府信息公开工作年度报告."""


class MissingExtraError(ExtractorError):
    """An optional part is not installed; the message names the extra that installs it."""


class NoTextLayerError(InputError):
    """A PDF whose pages are images (a scan): only OCR can read it."""

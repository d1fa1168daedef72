"""Old Word files (.doc, and WPS's .wps) → report text: LibreOffice converts them to .docx,
read as any Word file is (tables as grids, merged cells expanded).

LibreOffice is a system program, not a Python package: without it the file is refused with a
one-line reason that names it. Each conversion runs in a directory of its own with a user
profile of its own, so conversions may run side by side; one that hangs is stopped.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from .from_docx import docx_text

TIMEOUT = 180  # seconds: LibreOffice starts in 2-4 s and converts a report in about 1 s
_NO_LIBREOFFICE = (
    "an old Word (.doc) file: reading it needs LibreOffice (Debian: apt-get install "
    "libreoffice-writer-nogui), or save it as .docx"
)


def soffice() -> str | None:
    """LibreOffice's program, when it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def doc_text(data: bytes) -> tuple[str, str]:
    """The text of an old Word file, through LibreOffice's conversion to .docx."""
    program = soffice()
    if program is None:
        raise InputError(_NO_LIBREOFFICE)
    with tempfile.TemporaryDirectory(prefix="extractor-doc-") as scratch:
        work = Path(scratch)
        source = work / "report.doc"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice did not convert the .doc file within {TIMEOUT} s") from None
        converted = work / "out" / "report.docx"
        if not converted.exists():
            raise InputError("not a readable .doc file: LibreOffice could not convert it")
        text, _ = docx_text(converted.read_bytes())
    return text, "doc (LibreOffice)"

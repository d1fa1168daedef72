"""The build's one hook: an opt-in compiled build of the rule path.

``EXTRACTOR_COMPILE=1 pip install .`` compiles the modules of the rule path with mypyc (a C
compiler is needed; pip fetches mypy for the build), about 1.5 times as fast; without it, and
always for an editable install (a compiled module would shadow the edited ``.py`` file), the
package is pure Python. Everything else about the package is in ``pyproject.toml``.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup

# The rule path, text to document: the modules a report spends its time in.
COMPILED = [
    f"extractor/{name}.py"
    for name in (
        "values",
        "reading",
        "segmenting",
        "cells",
        "tables",
        "locate",
        "prose",
        "validators",
        "merge",
        "pipeline",
    )
]
MYPY = "mypy==2.4.1"  # as pinned in the dev extra


def _compile_requested() -> bool:
    if os.environ.get("EXTRACTOR_COMPILE", "") not in ("1", "true", "yes"):
        return False
    if any(command in sys.argv for command in ("editable_wheel", "develop")):
        raise SystemExit(
            "EXTRACTOR_COMPILE is for `pip install .`: an editable install stays pure Python "
            "(a compiled module would shadow the edited .py files)"
        )
    return True


_BUILDS = ("bdist_wheel", "build", "build_ext", "install")  # the commands that compile


def _build_options() -> dict[str, object]:
    if not _compile_requested():
        return {}
    if not any(command in sys.argv for command in _BUILDS):  # the build's requirements, metadata
        return {"setup_requires": [MYPY]}
    from mypyc.build import mypycify

    return {"ext_modules": mypycify(COMPILED, opt_level="3", group_name="extractor")}


setup(**_build_options())

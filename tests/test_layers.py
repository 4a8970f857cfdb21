"""The layout is the architecture: production code never imports the sandbox."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from urated.settings import PROJECT_ROOT

PRODUCTION = ("urated", "ingestion", "scrapers", "orchestration", "transform")
# `make demo` runs the pipeline against the sandbox on purpose; it is the one allowed caller.
SANDBOX_CALLERS = {"orchestration/demo.py"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", PRODUCTION)
def test_production_code_never_imports_the_sandbox(package):
    offenders = [str(path.relative_to(PROJECT_ROOT)) for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
                 if str(path.relative_to(PROJECT_ROOT)) not in SANDBOX_CALLERS
                 and any(m == "sandbox" or m.startswith("sandbox.") for m in imported_modules(path))]
    assert offenders == []

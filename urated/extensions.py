"""DuckDB extensions without the extension repository.

DuckDB downloads extensions (``ducklake``, ``sqlite_scanner``, ``postgres_scanner``)
from extensions.duckdb.org on ``INSTALL``, which offline machines and CI cannot reach.
PyPI ships the same binaries as ``duckdb-extension-<name>`` packages, built for one
DuckDB release each; that is why ``pyproject.toml`` pins DuckDB to their version. This
module places a package's file where ``INSTALL`` would have put it (DuckDB's extension
directory, under the extension's real name), so the plain ``INSTALL x; LOAD x`` that
dbt-duckdb, dlt and our own code run finds it installed. Where no package matches the
running DuckDB, the normal ``INSTALL`` from the repository is left to do its job.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

import duckdb

# extension name as DuckDB knows it -> (PyPI package, file stem inside the package)
PACKAGED = {
    "ducklake": ("duckdb_extension_ducklake", "ducklake"),
    "sqlite_scanner": ("duckdb_extension_sqlite", "sqlite"),
    "postgres_scanner": ("duckdb_extension_postgres", "postgres"),
}


def _packaged_file(name: str, version: str) -> Path | None:
    package, stem = PACKAGED[name]
    try:
        module = importlib.import_module(package)
    except ImportError:
        return None
    candidate = Path(module.__file__).parent / "extensions" / version / f"{stem}.duckdb_extension"
    return candidate if candidate.exists() else None


@cache
def ensure_installed(names: tuple[str, ...] = tuple(PACKAGED)) -> dict[str, str]:
    """Make each extension installable offline; returns how each was made available.

    Idempotent and safe with several processes at once (files are renamed into place).
    """
    con = duckdb.connect()
    try:
        version = con.execute("select library_version from pragma_version()").fetchone()[0]
        platform = con.execute("pragma platform").fetchone()[0]
        directory = con.execute("select current_setting('extension_directory')").fetchone()[0]
        installed = {
            row[0] for row in con.execute("select extension_name from duckdb_extensions() where installed").fetchall()
        }
        target_dir = Path(directory or Path.home() / ".duckdb" / "extensions") / version / platform
        how = {}
        for name in names:
            if name in installed:
                how[name] = "installed"
                continue
            packaged = _packaged_file(name, version)
            if packaged is None:
                con.install_extension(name)  # the repository, where the machine can reach it
                how[name] = "repository"
                continue
            target_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=f".{name}.")
            os.close(fd)
            shutil.copyfile(packaged, tmp)
            os.replace(tmp, target_dir / f"{name}.duckdb_extension")
            how[name] = f"package {PACKAGED[name][0]}"
        return how
    finally:
        con.close()

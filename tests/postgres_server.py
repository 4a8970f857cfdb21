"""A real, throwaway PostgreSQL server for the tests that need a team's catalog.

Started from the machine's PostgreSQL binaries (Debian's `postgresql` package, which
`.ci/run` installs) in a temporary folder, on a free loopback port, and stopped
afterwards. PostgreSQL refuses to run as root, so under root the server runs as the
`postgres` system user the package creates.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin")


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, newest version first, or None."""
    on_path = shutil.which("pg_ctl")
    if on_path and (Path(on_path).resolve().parent / "initdb").exists():
        return Path(on_path).resolve().parent
    for pattern in SEARCH:
        for candidate in sorted(Path("/").glob(pattern.lstrip("/")), reverse=True):
            if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
                return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    port: int
    user: str
    password: str

    def conninfo(self, dbname: str) -> str:
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user={self.user} password={self.password}"

    def create_database(self, name: str, bin_dir: Path) -> str:
        subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name],
                       env={**os.environ, "PGPASSWORD": self.password}, check=True, capture_output=True, text=True)
        return self.conninfo(name)


@contextmanager
def running_server() -> Iterator[tuple[Server, Path]]:
    """Start a server in a temporary folder of its own; stop it and remove the folder on exit."""
    # Not under pytest's tmp folder: that one is private to root, and the server may run as postgres.
    root = Path(tempfile.mkdtemp(prefix="urated-postgres-"))
    bin_dir = find_binaries()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL is not installed (apt-get install postgresql)")
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        account = pwd.getpwnam("postgres")
    data, sockets = root / "pgdata", root / "pgsock"
    for folder in (root, sockets):
        folder.mkdir(parents=True, exist_ok=True)
        if as_user:
            os.chown(folder, account.pw_uid, account.pw_gid)
    password = "urated-test"
    pwfile = root / "pwfile"
    pwfile.write_text(password)
    if as_user:
        os.chown(pwfile, account.pw_uid, account.pw_gid)
    server = Server(port=_free_port(), user="urated", password=password)
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", server.user, "--pwfile", str(pwfile),
                    "-A", "scram-sha-256", "--no-sync"], check=True, capture_output=True, text=True)
    options = f"-p {server.port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                    str(root / "server.log"), "start"], check=True, capture_output=True, text=True)
    try:
        yield server, bin_dir
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, text=True)
        shutil.rmtree(root, ignore_errors=True)

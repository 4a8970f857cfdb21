"""`make docs`: build the dbt docs site against the warehouse and serve it on loopback."""

from __future__ import annotations

import argparse
import subprocess
import sys

from orchestration.dbt_project import dbt_command, dbt_project
from urated import storage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--no-serve", action="store_true", help="only generate the site")
    args = parser.parse_args(argv)
    if not storage.target().exists():
        print("No warehouse yet: the site will show descriptions but no column types. Run `make demo` first.")
    target_path = dbt_project.project_dir / dbt_project.target_path
    generated = subprocess.run(dbt_command("docs", "generate", target_path=target_path), check=False)
    if generated.returncode != 0 or args.no_serve:
        return generated.returncode
    print(f"Serving the dbt docs site at http://127.0.0.1:{args.port} (Ctrl-C to stop)")
    return subprocess.run(dbt_command("docs", "serve", "--port", str(args.port), "--host", "127.0.0.1",
                                      "--no-browser", target_path=target_path), check=False).returncode


if __name__ == "__main__":
    sys.exit(main())

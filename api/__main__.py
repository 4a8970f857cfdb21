"""`python -m api serve` runs the API; `python -m api keys create|list|revoke` manages its keys."""

from __future__ import annotations

import argparse
import sys

from api.keys import DEFAULT_RATE, KeyStore, KeyStoreError, default_path
from urated import settings


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m api", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API with uvicorn (what `make api` runs)")
    host, port = settings.api_address()
    serve.add_argument("--host", default=host, help=f"address to listen on (default {host}, {settings.API_HOST_VAR})")
    serve.add_argument("--port", type=int, default=port, help=f"port (default {port}, {settings.API_PORT_VAR})")

    keys = commands.add_parser("keys", help="create, list or revoke API keys").add_subparsers(dest="action", required=True)
    create = keys.add_parser("create", help="create a key and print it (the only time it is shown)")
    create.add_argument("--name", required=True, help="who the key is for, e.g. dashboard or partner-acme")
    create.add_argument("--rate", default=DEFAULT_RATE, help=f"rate limit, e.g. 600/minute, 10/second (default {DEFAULT_RATE})")
    keys.add_parser("list", help="list every key (never the keys themselves)")
    revoke = keys.add_parser("revoke", help="revoke the active key with this name")
    revoke.add_argument("name")
    return parser.parse_args(argv)


def serve(host: str, port: int) -> None:
    import uvicorn

    print(f"uRated API on http://{host}:{port}  (docs: http://{host}:{port}/docs; keys in {default_path()})")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, log_level="info")


def manage_keys(args: argparse.Namespace) -> int:
    store = KeyStore()
    try:
        if args.action == "create":
            record, key = store.create(args.name, args.rate)
            print(f"Created key {record.name!r} (id {record.key_id}, {record.rate}). Copy it now, it is not shown again:")
            print(key)
        elif args.action == "list":
            print(f"{'name':<24} {'id':<17} {'rate':<14} {'created_at':<26} revoked_at")
            for k in store.list():
                print(f"{k.name:<24} {k.key_id:<17} {k.rate:<14} {k.created_at:<26} {k.revoked_at or '-'}")
        else:
            record = store.revoke(args.name)
            print(f"Revoked key {record.name!r} (id {record.key_id}) at {record.revoked_at}.")
    except KeyStoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command == "serve":
        serve(args.host, args.port)
        return 0
    return manage_keys(args)


if __name__ == "__main__":
    sys.exit(main())

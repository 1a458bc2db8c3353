"""Exit 0 when PostgreSQL and Redis answer; 1 when they do not (2 under CI=true, where they must)."""

from __future__ import annotations

import os
import socket
import sys


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.5):
            return True
    except OSError:
        return False


def main() -> int:
    missing = [
        name for name, port in (("PostgreSQL", 5432), ("Redis", 6379)) if not reachable("127.0.0.1", port)
    ]
    if not missing:
        return 0
    if os.environ.get("CI") == "true":
        print(f"ERROR: {', '.join(missing)} unreachable on 127.0.0.1, and CI requires them.", file=sys.stderr)
        return 2
    print(f"{', '.join(missing)} unreachable on 127.0.0.1: the PostgreSQL + Redis run is skipped.")
    return 1


if __name__ == "__main__":
    sys.exit(main())

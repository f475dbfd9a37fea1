"""Run every benchmark in this folder, one after the other; each prints its own table."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "centres.py",
    "person_search.py",
    "payment_run.py",
    "reception.py",
    "community.py",
    "housing.py",
    "placement_housing.py",
    "placement_national.py",
]


def main() -> int:
    failed = []
    for name in SCRIPTS:
        print(f"\n===== bench/{name} =====", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)]).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

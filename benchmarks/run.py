"""Run every benchmark in turn (``make bench``): each prints its figures beside a baseline
measured in the same run, with the ratio and the goal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("bench_search.py", "bench_activity_model.py", "bench_startup.py",
              "bench_periodic.py")


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        result = subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent, check=False)
        if result.returncode != 0:
            failed.append(name)
    print("\nGoals missed in: " + ", ".join(failed) if failed else "\nAll goals met.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

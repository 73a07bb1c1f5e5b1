"""Run every benchmark in turn (``make bench``): each prints its figures beside a baseline
measured in the same run, with the ratio and the goal.

Some only: name them, with or without ``bench_`` and ``.py``, as arguments or in
``BENCH`` (``BENCH=import make bench``, ``python benchmarks/run.py import search``).

Every benchmark with a goal is run. ``bench_locks.py`` is not: it has no goal, only
figures for comparing two checkouts (``--root``), and its default run writes 60,000 demo
activities (about ten minutes); run it by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("bench_search.py", "bench_activity_model.py", "bench_startup.py",
              "bench_periodic.py", "bench_import.py", "bench_certificates.py",
              "bench_bundle.py")


def selected(names: list[str]) -> list[str]:
    """The benchmarks ``names`` asks for (all of them when it is empty)."""
    if not names:
        return list(BENCHMARKS)
    wanted = {n.removeprefix("bench_").removesuffix(".py") for n in names}
    unknown = wanted - {b.removeprefix("bench_").removesuffix(".py") for b in BENCHMARKS}
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))} "
                         f"(there are: {', '.join(BENCHMARKS)})")
    return [b for b in BENCHMARKS if b.removeprefix("bench_").removesuffix(".py") in wanted]


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    failed = []
    for name in selected(names or os.environ.get("BENCH", "").split()):
        print(f"\n=== {name} ===", flush=True)
        result = subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent, check=False)
        if result.returncode != 0:
            failed.append(name)
    print("\nGoals missed in: " + ", ".join(failed) if failed else "\nAll goals met.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

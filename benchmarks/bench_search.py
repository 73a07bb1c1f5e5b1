"""Search benchmark: FTS5 search against a naive LIKE scan on a large demo database.

    python benchmarks/bench_search.py [--activities N] [--rebuild]

Builds a demo database of N activities (default 100,000; about ten times as many
attendance rows) with :func:`demo.generator.generate`, or reuses the one cached in
``.bench/demo-<N>.sqlite3`` when it was built by the same benchmark version from the same
data-layer source. Then it runs 200 Arabic queries, made deterministically from words that
occur in the data (common and rare words, two-word queries, spelling variants, prefixed
forms, ``prefix*`` queries, person names, phone numbers), through
:func:`models.search.search` and through a ``LIKE '%word%'`` scan of the same records' raw
text, and prints the latencies of both side by side with the goals.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sqlite3
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from demo import generator as demo  # noqa: E402
from models import search  # noqa: E402
from models.db import Database  # noqa: E402

VERSION = 1  # bump when the way this benchmark builds its database changes
SEED = 1
QUERIES = 200
GOAL_P95_MS = 20.0
GOAL_RATIO = 20.0
# The data layer's source that shapes the cached file: a change to any of them rebuilds it.
_SOURCES = ("demo/generator.py", "demo/words.py", "models/arabic.py", "models/search.py",
            "models/schema.py", "models/records.py", "models/store.py")
_ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]+")

# The naive scan: the same record tables, their raw text, every word somewhere in it.
_SCAN_TABLES = (
    ("activity", "activities", "title || ' ' || summary || ' ' || place || ' ' || organiser"),
    ("person", "persons", "full_name || ' ' || entity"),
    ("recommendation", "recommendations", "text"),
    ("coverage", "coverage_items", "title || ' ' || outlet"),
)


# --- the cached database ---------------------------------------------------------------

def cache_key(activities: int) -> str:
    digest = hashlib.sha256()
    for name in _SOURCES:
        path = ROOT / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return f"v{VERSION}-n{activities}-seed{SEED}-{digest.hexdigest()[:16]}"


def _cached_setting(path: Path, key: str) -> str | None:
    """A setting of an existing file, read without migrating or touching it."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def demo_database(activities: int, rebuild: bool) -> tuple[Database, float, bool]:
    """The benchmark's database, its generation time, and whether it was built now."""
    path = ROOT / ".bench" / f"demo-{activities}.sqlite3"
    key = cache_key(activities)
    if not rebuild and _cached_setting(path, "bench_key") == key:
        seconds = float(_cached_setting(path, "bench_seconds") or "nan")
        return Database.open(path), seconds, False
    _remove(path)
    db = Database.open(path, create=True)

    def progress(done: int, total: int) -> None:
        print(f"\r  generating: {done:,} / {total:,} activities", end="", flush=True)

    summary = demo.generate(db, activities=activities, seed=SEED, progress=progress)
    print()
    db.set_setting("bench_key", key)
    db.set_setting("bench_seconds", f"{summary.seconds:.3f}")
    return db, summary.seconds, True


# --- the queries -----------------------------------------------------------------------

def _texts(conn: sqlite3.Connection, sql: str) -> list[str]:
    return [row[0] for row in conn.execute(sql)]


def _variant(word: str) -> str | None:
    """A spelling a user might type instead: hamza dropped or added, ة/ه, ى/ي."""
    if word.startswith("الا") and len(word) > 4:
        return "الإ" + word[3:]  # الاتصال → الإتصال
    if word.startswith("ال") and word[2:3] in "أإ":
        return "ال" + "ا" + word[3:]  # الإعلام → الاعلام
    if word[:1] in "أإآ":
        return "ا" + word[1:]
    if word.endswith("ة"):
        return word[:-1] + "ه"  # مدرسة → مدرسه
    if word.endswith("ى"):
        return word[:-1] + "ي"
    if word.endswith("ي") and len(word) > 3:
        return word[:-1] + "ى"
    return None


def build_queries(conn: sqlite3.Connection, count: int = QUERIES) -> list[tuple[str, str]]:
    """``count`` (kind, query) pairs made from the data, the same for the same data."""
    rng = random.Random(20261123)
    titles = _texts(conn, "SELECT title FROM activities ORDER BY rowid LIMIT 5000")
    texts = titles + _texts(conn, "SELECT summary FROM activities ORDER BY rowid LIMIT 3000")
    texts += _texts(conn, "SELECT text FROM recommendations ORDER BY rowid LIMIT 2000")
    texts += _texts(conn, "SELECT title FROM coverage_items ORDER BY rowid LIMIT 2000")
    names = _texts(conn, "SELECT full_name FROM persons ORDER BY rowid LIMIT 3000")
    phones = _texts(conn, "SELECT phone FROM persons WHERE phone != '' ORDER BY rowid "
                          "LIMIT 3000")
    frequency = Counter(w for text in texts for w in _ARABIC_WORD.findall(text) if len(w) > 2)
    by_count = sorted(frequency, key=lambda w: (-frequency[w], w))
    common, rare = by_count[:60], by_count[-80:]
    pairs = sorted({" ".join(p) for t in titles
                    for p in zip(t.split(), t.split()[1:], strict=False)
                    if all(_ARABIC_WORD.fullmatch(w) for w in p)})
    variants = sorted({v for w in by_count[:400] if (v := _variant(w)) and v != w})
    stems = [w for w in by_count[:400] if not w.startswith("ال") and len(w) > 3]

    def take(kind: str, pool: list[str], n: int) -> list[tuple[str, str]]:
        return [(kind, q) for q in rng.sample(pool, min(n, len(pool)))]

    queries = take("common word", common, 35) + take("rare word", rare, 25)
    queries += take("two words", pairs, 30) + take("spelling variant", variants, 25)
    # والاتصال، بالإعلام، ومدرسة: a conjunction or preposition joined to a common word.
    joinable = [w for w in by_count[:300] if w.startswith("ال") or w[0] not in "وفبكل"]
    queries += [("prefixed", rng.choice(("و", "ب", "ف") if w.startswith("ال") else "و") + w)
                for w in rng.sample(joinable, min(20, len(joinable)))]
    queries += [("prefix*", w[:rng.randint(3, 4)] + "*") for w in rng.sample(stems, 20)]
    queries += [("name", " ".join((n.split()[0], n.split()[-1])))
                for n in rng.sample(names, 20)]
    queries += [("full name", n) for n in rng.sample(names, 10)]
    queries += take("phone", phones, 10)
    first_kind: dict[str, str] = {}
    for kind, query in queries:  # each query once
        first_kind.setdefault(query, kind)
    queries = [(kind, query) for query, kind in first_kind.items()]
    while len(queries) < count:  # fill up with common words not asked yet
        word = rng.choice(by_count[:200])
        if all(word != q for _k, q in queries):
            queries.append(("common word", word))
    queries = queries[:count]
    rng.shuffle(queries)
    return queries


# --- running them ----------------------------------------------------------------------

def scan(conn: sqlite3.Connection, query: str, limit: int | None = None) -> list:
    """The naive search: every typed word somewhere in the raw text.

    Without ``limit`` it finds every match, which is what a search must look at before it
    can say which 50 are best (the baseline for the goal); with one it stops at the first
    ``limit`` rows found, unranked (printed too, for comparison).
    """
    words = [w.rstrip("*") for w in query.split() if w.rstrip("*")]
    if not words:
        return []
    parts, params = [], []
    for doc_type, table, text in _SCAN_TABLES:
        likes = " AND ".join(f"({text}) LIKE ?" for _ in words)
        parts.append(f"SELECT '{doc_type}', id FROM {table} "
                     f"WHERE deleted_at IS NULL AND {likes}")
        params.extend(f"%{w}%" for w in words)
    sql = " UNION ALL ".join(parts)
    if limit is None:
        return conn.execute(sql, params).fetchall()
    return conn.execute(sql + " LIMIT ?", (*params, limit)).fetchall()


def scan_first(conn: sqlite3.Connection, query: str) -> list:
    """The naive scan stopped at the first 50 rows it meets (no ranking at all)."""
    return scan(conn, query, search.DEFAULT_LIMIT)


def timed(run, conn: sqlite3.Connection, query: str) -> tuple[float, int]:
    started = time.perf_counter()
    found = run(conn, query)
    return (time.perf_counter() - started) * 1000, len(found)


def _ratio(value: float) -> str:
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x" if value >= 1 else f"{value:.2f}x"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true",
                        help="generate the demo database again even if it is cached")
    args = parser.parse_args(argv)

    db, seconds, built = demo_database(args.activities, args.rebuild)
    conn = db.conn
    counts = {t: db.scalar(f"SELECT count(*) FROM {t}") for t in
              ("activities", "persons", "attendance", "recommendations", "coverage_items")}
    where = "built now" if built else "cached, built earlier"
    print(f"Demo database: {db.path.relative_to(ROOT)} ({where})")
    print("Records: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    print(f"Demo generation time: {seconds:.1f} s")
    print(f"Demo generation rate: {args.activities / seconds:,.0f} activities/s")

    queries = build_queries(conn)
    kinds = Counter(kind for kind, _ in queries)
    print(f"Queries: {len(queries)} (" + ", ".join(f"{n} {k}" for k, n in kinds.items()) + ")")
    for _kind, query in queries:  # warm the page cache and the statements once
        search.search(conn, query)
    fts = [timed(search.search, conn, q) for _k, q in queries]
    print("  FTS done; scanning (this is the slow part) …", flush=True)
    naive = [timed(scan, conn, q) for _k, q in queries]
    first = [timed(scan_first, conn, q) for _k, q in queries]

    fts_ms, scan_ms = [t for t, _ in fts], [t for t, _ in naive]
    fts_median, fts_p95 = statistics.median(fts_ms), percentile(fts_ms, 0.95)
    scan_median, scan_p95 = statistics.median(scan_ms), percentile(scan_ms, 0.95)
    ratio = scan_median / fts_median
    print(f"{'':24}{'FTS5 search':>14}{'LIKE scan':>14}")
    print(f"{'median latency':24}{fts_median:>11.2f} ms{scan_median:>11.1f} ms")
    print(f"{'p95 latency':24}{fts_p95:>11.2f} ms{scan_p95:>11.1f} ms")
    print(f"{'max latency':24}{max(fts_ms):>11.2f} ms{max(scan_ms):>11.1f} ms")
    print(f"{'queries with hits':24}{sum(n > 0 for _, n in fts):>14}"
          f"{sum(n > 0 for _, n in naive):>14}")
    first_median = statistics.median(t for t, _ in first)
    print(f"{'LIKE, first 50 unranked':24}{'':>14}{first_median:>11.1f} ms  (median)")
    print("The scan finds every match (what ranking the best 50 needs); the FTS search ranks")
    print(f"the newest {search.RANK_NEWEST:,} matches of a word found in more records than that.")
    print(f"Ratio scan / FTS, medians: {_ratio(ratio)}")
    print(f"Ratio scan / FTS, p95: {_ratio(scan_p95 / fts_p95)}")
    print(f"{'by kind of query':24}{'FTS median':>14}{'scan median':>14}{'ratio':>9}")
    for kind in kinds:
        f = statistics.median(t for t, (k, _q) in zip(fts_ms, queries, strict=True) if k == kind)
        n = statistics.median(t for t, (k, _q) in zip(scan_ms, queries, strict=True)
                              if k == kind)
        print(f"  {kind + f' ({kinds[kind]})':22}{f:>11.2f} ms{n:>11.1f} ms"
              f"{_ratio(n / f):>9}")
    slowest = sorted(zip(fts_ms, queries, strict=True), reverse=True)[:5]
    print("Slowest FTS queries: " + "; ".join(f"{q} ({k}) {t:.1f} ms"
                                              for t, (k, q) in slowest))
    p95_ok, ratio_ok = fts_p95 <= GOAL_P95_MS, ratio >= GOAL_RATIO
    print(f"Goal: FTS p95 <= {GOAL_P95_MS:.0f} ms: {'PASS' if p95_ok else 'MISS'} "
          f"({fts_p95:.2f} ms)")
    print(f"Goal: FTS >= {GOAL_RATIO:.0f}x faster than the scan (medians): "
          f"{'PASS' if ratio_ok else 'MISS'} ({_ratio(ratio)})")
    db.close()
    return 0 if p95_ok and ratio_ok else 1


if __name__ == "__main__":
    sys.exit(main())

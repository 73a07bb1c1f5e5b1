"""``ITTISAL_SMOKE_REPORT`` (ui/launch.py): how `make dist-check` and the Windows workflow
see the frozen bundle's window, which has no Python prompt to ask. Here on main.py, so a
change that breaks it fails `make test`, not only the slower dist-check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import karbala_workshop

from models import store

ROOT = Path(__file__).resolve().parent.parent


def test_smoke_report_says_what_the_window_shows_and_closes_it(db, db_path, tmp_path):
    store.insert(db, karbala_workshop())  # not a fresh database: no welcome first
    db.close()
    report = tmp_path / "window.json"
    env = {**os.environ, "ITTISAL_SMOKE_REPORT": str(report), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db_path)],
                            cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(report.read_text("utf-8"))
    assert found["rtl"] is True and found["visible"] is True and found["frozen"] is False
    assert found["title"].startswith("اتصال")
    assert found["font"] == "Noto Sans Arabic UI"
    assert found["pages"] >= 8 and found["blank_icons"] == 0 and found["app_icon"]
    assert report.with_suffix(".png").read_bytes().startswith(b"\x89PNG")


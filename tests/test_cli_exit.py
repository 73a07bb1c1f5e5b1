"""How a command ends (``main.end_at_once``): a command that succeeded skips the
interpreter's teardown, but never what the teardown does that a user would miss: the
exit handlers (logging's flush among them) and the buffered output. Each case runs in a
process of its own, as a user's command does."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(body: str, tmp_path: Path) -> subprocess.CompletedProcess:
    code = textwrap.dedent(f"""
        import atexit, logging, sys
        sys.path.insert(0, {str(ROOT)!r})
        import main
        log = logging.getLogger("ittisal-test")
        handler = logging.FileHandler({str(tmp_path / "log.txt")!r}, encoding="utf-8")
        log.addHandler(handler)
        atexit.register(lambda: open({str(tmp_path / "handler.txt")!r}, "w").write("ran"))
        sys.stdout.write("كُتب الملف")  # no newline: still in the buffer
        log.warning("سطر في السجل")
    """) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          encoding="utf-8", timeout=60, cwd=tmp_path)


def test_a_command_that_succeeded_ends_at_once_with_its_output_and_log_whole(tmp_path):
    result = _run("""
        main.end_at_once()
        print("after", file=sys.stderr)  # never reached: the process has ended
    """, tmp_path)
    assert result.returncode == 0
    assert result.stdout == "كُتب الملف"
    assert "after" not in result.stderr
    assert (tmp_path / "handler.txt").read_text() == "ran"
    assert "سطر في السجل" in (tmp_path / "log.txt").read_text(encoding="utf-8")


def test_a_thread_still_running_gets_the_usual_exit(tmp_path):
    result = _run("""
        import threading
        gate = threading.Event()
        def work():
            gate.wait(10)  # still running when end_at_once looks, however slow the machine
            open("thread.txt", "w").write("finished")
        threading.Thread(target=work).start()
        main.end_at_once()
        print("returned", file=sys.stderr)
        gate.set()
    """, tmp_path)
    assert result.returncode == 0
    assert "returned" in result.stderr
    assert (tmp_path / "thread.txt").read_text() == "finished"
    assert result.stdout == "كُتب الملف"

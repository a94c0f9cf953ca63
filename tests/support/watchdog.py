"""A test that runs far longer than any should is named on the terminal, with where each of its
threads is waiting, in a few lines: a hung test in CI is otherwise only a run killed at its time limit."""

import os
import sys
import threading
import traceback

SUSPICIOUS_SECONDS = float(os.environ.get("ASSURANCE_TEST_WATCHDOG_SECONDS", 240))
OUR_CODE = ("/assurance/", "/reviews/", "/standards/", "/tests/")
_terminal = {"fd": 2}


def keep_terminal():
    """Remembers where the terminal is before pytest captures the tests' output (fd 2 then points at a
    file that nobody reads while the test hangs). Called from pytest_configure."""
    _terminal["fd"] = os.dup(2)


def _where(frame):
    """The innermost frame of our own code and the innermost frame of all, in one line."""
    frames = traceback.extract_stack(frame)
    ours = next((f for f in reversed(frames) if any(part in f.filename for part in OUR_CODE)), None)
    innermost = frames[-1]
    parts = [f"{innermost.filename.rsplit('/', 2)[-1]}:{innermost.lineno} {innermost.name}"]
    if ours is not None and ours is not innermost:
        parts.append(f"from {ours.filename.rsplit('/', 3)[-1]}:{ours.lineno} {ours.name}")
    return " ".join(parts)


def report(nodeid):
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    lines = [f"\nSTILL RUNNING after {SUSPICIOUS_SECONDS:.0f} s: {nodeid}"]
    for ident, frame in sys._current_frames().items():
        if names.get(ident) != "test-watchdog":
            lines.append(f"  thread {names.get(ident, ident)}: {_where(frame)}")
    os.write(_terminal["fd"], ("\n".join(lines) + "\n").encode())


def watch(nodeid):
    """A started timer that reports the test unless cancelled first."""
    timer = threading.Timer(SUSPICIOUS_SECONDS, report, args=[nodeid])
    timer.name = "test-watchdog"
    timer.daemon = True
    timer.start()
    return timer

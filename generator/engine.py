"""Running the site engine (MkDocs) as a child process.

The generator never imports the engine. Two things make the child safe to run:

- it dies with labelbook: on Linux the child asks the kernel for SIGTERM when its parent
  dies (PR_SET_PDEATHSIG), so a killed `labelbook build` leaves no engine behind;
- its error output is passed through with Python tracebacks summarised to their last line
  (`engine error: OSError: ...`), because a lead needs the cause, not the engine's stack;
  with --debug everything is passed through unchanged.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from .load import UsageError

MAX_LINE = 400  # a summarised error line stays readable (a disk-full error once ran to 27 KB)
_PR_SET_PDEATHSIG = 1

# Causes an engine error can name that are the environment's, not the specs'.
ENVIRONMENT_FAULTS = {
    "No space left on device": "free disk space, then build again (the partial build was removed)",
    "Disk quota exceeded": "free disk space or raise your quota, then build again",
    "Read-only file system": "the output is on a read-only file system: choose a writable --site-dir or remount",
    "Permission denied": "make the project and output folders writable for this user, or choose another --site-dir",
}


def engine_command(config: Path) -> list[str]:
    if not config.exists():
        raise UsageError(f"no site configuration at {config}", "run labelbook from the repository root")
    if importlib.util.find_spec("mkdocs") is None:
        raise UsageError("MkDocs is not installed in this environment", "run `make build`, which installs it")
    if shutil.which("dot") is None:
        raise UsageError("Graphviz's `dot` is not on PATH (decision trees are drawn with it)",
                         "install the graphviz package, e.g. `apt-get install graphviz`, or run `make build`")
    return [sys.executable, "-m", "mkdocs"]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the child may outlive a killed parent


class EngineRun:
    """One engine process whose stderr is filtered by a thread."""

    def __init__(self, args: list[str], env: dict[str, str], *, debug: bool = False):
        self.debug = debug
        self.errors: list[str] = []  # the summarised exception lines
        self.process = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True, errors="replace",
                                        preexec_fn=_die_with_parent if os.name == "posix" else None)
        assert self.process.stderr is not None
        self._reader = threading.Thread(target=self._filter, args=(self.process.stderr,), daemon=True)
        self._reader.start()

    def wait(self) -> int:
        status = self.process.wait()
        self._reader.join()
        return status

    def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()

    def environment_hint(self) -> str | None:
        """The hint for an environment fault the engine died of, if it died of one."""
        for line in self.errors:
            for cause, hint in ENVIRONMENT_FAULTS.items():
                if cause in line:
                    return hint
        return None

    def _filter(self, stream: IO[str]) -> None:
        in_traceback = False
        pending: str | None = None  # the exception line ending a traceback, if chained ones may follow
        for line in stream:
            if self.debug:
                sys.stderr.write(line)
                continue
            text = line.rstrip("\n")
            if text.startswith("Traceback (most recent call last):"):
                in_traceback, pending = True, None
                continue
            if in_traceback:
                if not text or text.startswith((" ", "\t")):
                    continue
                in_traceback, pending = False, text
                continue
            if pending is not None:
                if not text or text.startswith(("During handling of the above exception",
                                                 "The above exception was the direct cause")):
                    continue
                self._report(pending)
                pending = None
            sys.stderr.write(line)
        if pending is not None:
            self._report(pending)

    def _report(self, exception_line: str) -> None:
        self.errors.append(exception_line)
        print("engine error: " + shorten(exception_line), file=sys.stderr)


def shorten(text: str, width: int = MAX_LINE) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= width else text[: width - 1] + "…"

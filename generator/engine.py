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
from .metrics_extra import INSTALL_HINT as METRICS_INSTALL_HINT

MAX_LINE = 400  # a summarised error line stays readable (a disk-full error once ran to 27 KB)
_PR_SET_PDEATHSIG = 1

# Causes an engine error can name that are the environment's, not the specs'.
ENVIRONMENT_FAULTS = {
    "No space left on device": "free disk space, then build again (the partial build was removed)",
    "Disk quota exceeded": "free disk space or raise your quota, then build again",
    "Read-only file system": "the output is on a read-only file system: choose a writable --site-dir or remount",
    "Permission denied": "make the project and output folders writable for this user, or choose another --site-dir",
    "needs the metrics extra": METRICS_INSTALL_HINT,  # the plugin's message (metrics_extra.py)
}


# The engines that build the site from the same mkdocs.yml and the same plugin: MkDocs 1.6
# (frozen; the default) and ProperDocs, its drop-in continuation.
ENGINES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}
INSTALL_HINTS = {"mkdocs": "install labelbook again (pip install labelbook), which brings it",
                 "properdocs": "install it: pip install 'labelbook[properdocs]'"}


def choose_engine(config: Path, flag: str | None = None) -> str:
    """The engine to run: --engine, else LABELBOOK_ENGINE, else the plugin's `engine`
    option in the site configuration, else MkDocs."""
    choice = flag or os.environ.get("LABELBOOK_ENGINE") or _configured_engine(config) or "mkdocs"
    if choice not in ENGINES:
        raise UsageError(f"unknown site engine '{choice}'", "choose one of: " + ", ".join(ENGINES))
    return choice


def _configured_engine(config: Path) -> str | None:
    """`plugins: [{labelbook: {engine: ...}}]` in mkdocs.yml, read without the engine (its
    own tags such as !ENV are read as empty values)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # the engine reports a broken configuration itself, with its position
    plugins = data.get("plugins") if isinstance(data, dict) else None
    for entry in plugins if isinstance(plugins, list) else []:
        options = entry.get("labelbook") if isinstance(entry, dict) else None
        if isinstance(options, dict) and isinstance(options.get("engine"), str):
            return str(options["engine"])
    return None


def engine_command(config: Path, engine: str = "mkdocs") -> list[str]:
    if not config.exists():
        raise UsageError(f"no site configuration at {config}",
                         "run labelbook from the repository root, or create one with `labelbook init`")
    if importlib.util.find_spec(engine) is None:
        raise UsageError(f"{ENGINES[engine]} is not installed in this environment", INSTALL_HINTS[engine])
    if shutil.which("dot") is None:
        raise UsageError("Graphviz's `dot` is not on PATH (decision trees are drawn with it)",
                         "install the graphviz package, e.g. `apt-get install graphviz`, or run `make build`")
    return [sys.executable, "-m", engine]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the child may outlive a killed parent


class EngineRun:
    """One engine process whose stderr is filtered by a thread."""

    def __init__(self, args: list[str], env: dict[str, str], *, debug: bool = False, talk: bool = False):
        """talk: stdin and stdout are pipes, for a batch worker's jobs and reports."""
        self.debug = debug
        self.errors: list[str] = []  # the summarised exception lines
        pipe = subprocess.PIPE if talk else None
        self.process = subprocess.Popen(args, env=env, stdin=pipe, stdout=pipe, stderr=subprocess.PIPE, text=True,
                                        errors="replace", bufsize=1 if talk else -1,
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

"""Reading a spec file from disk without trusting the folder it is in.

A spec folder is untrusted: a symbolic link to /etc/passwd would be quoted in a report, a
FIFO blocks a reader forever, /dev/zero never ends. Only regular files inside the
repository are opened, with a bounded read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .diagnostics import Report, quoted

MAX_FILE_BYTES = 2 * 1024 * 1024


def too_large(size: int, display: str, report: Report, *, at_least: bool = False) -> bool:
    if size <= MAX_FILE_BYTES:
        return False
    what = f"more than {MAX_FILE_BYTES}" if at_least else str(size)
    report.error(display, (1, 1), "file-too-large",
                 f"file is {what} bytes; specs are limited to {MAX_FILE_BYTES} bytes", "split long example lists or move data into the annotation exports")
    return True


# What a directory entry is, when it is not a regular file.
_KINDS = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")]
_NOT_REGULAR_HINT = "spec files must be regular files: replace it with the YAML file itself"
# Open flags: never block on a pipe or device, never follow a link swapped in after the checks.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _unreadable(display: str, report: Report, exc: OSError) -> None:
    report.error(display, (1, 1), "unreadable", f"cannot read file: {exc.strerror or exc}",
                 "check that the file exists and that your user may read it (e.g. chmod u+r)")


def read_regular_file(path: Path, display: str, report: Report, root: Path | None = None) -> bytes | None:
    """The bytes of a regular file, or None with a diagnostic. A spec folder is untrusted:
    a link to /etc/passwd would be quoted in the report, a FIFO blocks forever, /dev/zero
    never ends. So the entry is examined with lstat first, a link must stay inside `root`,
    anything but a regular file is refused unopened, and at most MAX_FILE_BYTES + 1 bytes
    are read from a descriptor that fstat confirms is the file that was examined."""
    name = quoted(path.name)
    try:
        info = os.lstat(path)
        target = path
        if stat.S_ISLNK(info.st_mode):
            target = Path(os.path.realpath(path))
            if root is not None and not target.is_relative_to(root):
                report.error(display, (1, 1), "unsafe-file",
                             f"{name} is a symbolic link that leaves the repository; it was not read",
                             "replace the link with the file itself, or link to a file inside the repository")
                return None
            info = os.stat(target)
            if not stat.S_ISREG(info.st_mode):
                report.error(display, (1, 1), "unsafe-file",
                             f"{name} is a symbolic link to {_kind(info.st_mode)}, not a regular file; "
                             "it was not read", _NOT_REGULAR_HINT)
                return None
        elif not stat.S_ISREG(info.st_mode):
            report.error(display, (1, 1), "unsafe-file",
                         f"{name} is {_kind(info.st_mode)}, not a regular file; it was not read", _NOT_REGULAR_HINT)
            return None
        # The size is checked before reading, so a huge file is never read into memory.
        if too_large(info.st_size, display, report):
            return None
        fd = os.open(target, _OPEN_FLAGS)
    except OSError as exc:
        _unreadable(display, report, exc)
        return None
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(opened.st_mode):
            report.error(display, (1, 1), "unsafe-file",
                         f"{name} changed between being examined and opened; it was not read",
                         "run the check again once nothing is changing the file")
            return None
        chunks, size = [], 0
        # A file may grow after fstat, and some (under /proc) report size 0: read to the bound.
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        _unreadable(display, report, exc)
        return None
    finally:
        os.close(fd)
    if too_large(size, display, report, at_least=True):
        return None
    return b"".join(chunks)

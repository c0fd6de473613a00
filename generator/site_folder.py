"""The output folder's guarantees: one build at a time, staging beside it, an atomic swap.

A build never writes into `site/`. It takes an exclusive lock (`.site.lock` beside the
site folder, an flock, so the kernel releases it when the build dies, even by SIGKILL),
removes what killed builds left behind, builds into its own staging folder
`.site.building-<pid>` and then swaps that folder into place:

- on Linux the swap is one `renameat2(RENAME_EXCHANGE)`: at every instant `site/` is
  either the complete previous site or the complete new one, never absent or partial;
- where the file system cannot exchange (other systems, some network file systems), two
  renames are used and `site/` is absent for the instant between them.

The old site ends in the staging folder after the exchange and is removed; a build killed
before that removal leaves it for the next build to clean.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from pathlib import Path

from .load import UsageError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class BuildFault(UsageError):
    """The environment stopped a build (permissions, read-only or full disk, a lock)."""


def describe_os_error(exc: OSError, doing: str) -> BuildFault:
    """One line saying what failed and where, and the hint that removes the cause."""
    where = exc.filename or ""
    reason = exc.strerror or type(exc).__name__
    message = f"{doing}: {reason}" + (f": {where}" if where else "")
    hints = {
        errno.ENOSPC: "free disk space, then build again (the partial build was removed)",
        errno.EDQUOT: "free disk space or raise your quota, then build again (the partial build was removed)",
        errno.EROFS: "the folder is on a read-only file system: choose a writable --site-dir or remount",
        errno.EACCES: "make the folder writable for this user (chmod/chown), or choose another --site-dir",
        errno.EPERM: "make the folder writable for this user (chmod/chown), or choose another --site-dir",
        errno.EBUSY: "the folder is in use (a mount point or open elsewhere): choose another --site-dir",
    }
    return BuildFault(message, hints.get(exc.errno or 0, "fix the cause above, then build again"))


class SiteFolder:
    """The site folder and its siblings: lock, staging, swap. Use as a context manager:

        with SiteFolder(Path("site")) as folder:
            build into folder.staging ...
            folder.swap_in()
    """

    def __init__(self, site_dir: Path):
        self.site = site_dir.resolve()
        self.parent = self.site.parent
        self.lock_path = self.parent / f".{self.site.name}.lock"
        self.staging = self.parent / f".{self.site.name}.building-{os.getpid()}"
        self._lock_fd: int | None = None

    def __enter__(self) -> "SiteFolder":
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
            self._remove_leftovers()
            self.staging.mkdir()
        except OSError as exc:
            self._unlock()
            raise describe_os_error(exc, f"cannot prepare the build beside {self.site.name}/") from exc
        return self

    def __exit__(self, *exc_info: object) -> None:
        # Whatever happened, the staging folder (a partial build, or the old site after a
        # swap) is not kept; the site folder itself is never touched here.
        shutil.rmtree(self.staging, ignore_errors=True)
        self._unlock()

    def _lock(self) -> None:
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise BuildFault(f"another build of {self.site.name}/ is running (pid {holder})",
                             "wait for it to finish (or stop it), then build again") from None
        # The lock file is never deleted: deleting it would let a third build lock a new
        # file while the second still holds the old one.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    def _remove_leftovers(self) -> None:
        """Staging folders of killed builds (holding a partial site or an old one). Only
        called with the lock held, so no build of this site is using them."""
        for pattern in (f".{self.site.name}.building*", f".{self.site.name}.previous*"):
            for leftover in self.parent.glob(pattern):
                shutil.rmtree(leftover, ignore_errors=True)

    def swap_in(self) -> None:
        """Replace the site folder by the staging folder (see the module's guarantee)."""
        try:
            swap_folders(self.staging, self.site)
        except OSError as exc:
            raise describe_os_error(exc, f"cannot replace {self.site.name}/ with the new build") from exc


def swap_folders(new: Path, current: Path) -> None:
    """Put `new` at `current`; the previous content of `current` ends at `new`."""
    if not os.path.lexists(current):
        os.rename(new, current)
        return
    if _exchange(new, current):
        return
    # No atomic exchange here: `current` is absent between these two renames.
    old = new.with_name(new.name + ".old")
    os.rename(current, old)
    os.rename(new, current)
    os.rename(old, new)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where unsupported."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


_LIBC: ctypes.CDLL | None = None


def _libc() -> ctypes.CDLL:
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC

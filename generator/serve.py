"""`labelbook serve`: the same incremental build as `labelbook build`, served and rebuilt on save.

The preview is a build into a private site folder, served by a static HTTP server. A
watcher polls specs/, site_templates/ and the site configuration; a change runs the build
again, which rebuilds only the parts whose pages changed (one guideline for an edit to
it) and swaps the new site in whole, so the server never shows a half-built site. A
build that fails (a spec with an error) is reported in the terminal and the last good
site stays up. Open pages reload themselves: the server adds a small script to every HTML
page it sends that polls the number of the last good build. The script is added while
serving only: the built files stay exactly those of `labelbook build`.
"""

from __future__ import annotations

import functools
import shutil
import signal
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any, Callable

from .load import UsageError

STAMP_PATH = "/.labelbook-serve/build"  # the number of the last good build, polled by open pages
POLL_SECONDS = 0.5
RELOAD_SCRIPT = (
    "<script>(function(){var seen=null;setInterval(function(){"
    f"fetch('{STAMP_PATH}',{{cache:'no-store'}}).then(function(r){{return r.text()}}).then(function(t){{"
    "if(seen===null){seen=t}else if(t!==seen){location.reload()}}).catch(function(){})},1000)})();</script>"
)


class PreviewState:
    """What the server shows: the site folder and the number of the last good build."""

    def __init__(self, site: Path):
        self.site = site
        self.builds = 0


class PreviewHandler(SimpleHTTPRequestHandler):
    state: PreviewState

    def __init__(self, *args: Any, state: PreviewState, **kwargs: Any):
        self.state = state
        super().__init__(*args, directory=str(state.site), **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        if self.path.split("?", 1)[0] == STAMP_PATH:
            self._send(200, "text/plain; charset=utf-8", str(self.state.builds).encode())
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes()
            at = page.rfind(b"</body>")
            page = page[:at] + RELOAD_SCRIPT.encode() + page[at:] if at >= 0 else page + RELOAD_SCRIPT.encode()
            self._send(200, "text/html; charset=utf-8", page)
            return
        if not path.exists() and (self.state.site / "404.html").is_file():
            self._send(404, "text/html; charset=utf-8", (self.state.site / "404.html").read_bytes())
            return
        super().do_GET()

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
        pass  # the terminal is for build messages


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closed the connection (a reload, a page left) is no fault to report.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def watched_state(project: Path, config: Path) -> tuple[tuple[str, int, int], ...]:
    """Every watched file with its modification time and size: a change to any is a save."""
    found = []
    for root in (project / "specs", project / "site_templates", config):
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue  # removed while listing: the next poll sees it gone
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def parse_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--dev-addr '{address}' is not HOST:PORT", "give an address such as 127.0.0.1:8000")
    return host, int(port)


def serve(config: Path, address: str, build: Callable[[Path], int]) -> int:
    """Build into a private folder, serve it on address, rebuild on every save; runs until
    interrupted. build(site_dir) is `labelbook build` into that folder, returning its status."""
    host, port = parse_address(address)
    project = config.resolve().parent
    private = Path(tempfile.mkdtemp(prefix="labelbook-serve-"))
    state = PreviewState(private / "site")
    try:
        server = PreviewServer((host, port), functools.partial(PreviewHandler, state=state))
    except OSError as exc:
        shutil.rmtree(private, ignore_errors=True)
        raise UsageError(f"cannot serve on {address}: {exc.strerror or exc}",
                         "choose another address with --dev-addr, or stop what uses this one") from exc

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        seen = watched_state(project, config)
        _rebuild(build, state)
        thread.start()
        print(f"serving on http://{address}/ (rebuilt on every save; Ctrl-C stops)", flush=True)
        while True:
            time.sleep(POLL_SECONDS)
            now = watched_state(project, config)
            if now != seen:
                seen = now
                _rebuild(build, state)
    except KeyboardInterrupt:
        return 0
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        shutil.rmtree(private, ignore_errors=True)


def _rebuild(build: Callable[[Path], int], state: PreviewState) -> None:
    try:
        status = build(state.site)
    except UsageError as problem:
        print(f"error: {problem.message}", file=sys.stderr)
        if problem.hint:
            print(f"hint: {problem.hint}", file=sys.stderr)
        status = 2
    if status == 0:
        state.builds += 1
    elif state.builds:
        print("still serving the last good version: fix and save again", file=sys.stderr, flush=True)
    else:
        print("nothing to serve yet: fix and save again", file=sys.stderr, flush=True)
    sys.stdout.flush()

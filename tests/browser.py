"""Real-browser helpers: a static HTTP server for a built site, and Debian's Chromium.

The site is served over HTTP on 127.0.0.1 (Material's search runs in a web worker, which a
file:// page may not start). The browser is the system's Chromium driven by Playwright;
Playwright's own browser download is never used. Without Chromium the tests fail (they do
not skip): `make test` installs it.

    with serve_folder(site) as base_url, launch_chromium() as browser:
        page = browser.new_page()
        page.goto(base_url + "content-safety/")
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import build_project

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MISSING_CHROMIUM = (
    "Chromium is not installed (no `chromium` on PATH), so the browser tests cannot run. "
    "Run `make test`, which installs Debian's chromium package (or install it yourself, "
    "e.g. `sudo apt-get install chromium`) and run the tests again."
)


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves one folder without logging every request to the test output."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # The browser closing a connection early (a page left mid-load) is not a failure.
        pass


@contextlib.contextmanager
def build_and_serve(project: Path) -> Iterator[str]:
    """`labelbook build` in project (it must pass), then its site served; yields the base URL."""
    result = build_project(project)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve_folder(project / "site") as base_url:
        yield base_url


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve folder on 127.0.0.1 on a free port; yields the base URL, ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def chromium_executable() -> str:
    """Path of the system Chromium; fails the calling test when it is missing."""
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    return path


@contextlib.contextmanager
def launch_chromium():
    """A headless Chromium (playwright.sync_api.Browser), closed on exit."""
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def chromium():
    """One browser for a whole test module (import this fixture into the module)."""
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def example_site_url(example_site: Path) -> Iterator[str]:
    """The built example site served over HTTP for a whole test module; its base URL."""
    with serve_folder(example_site) as base_url:
        yield base_url

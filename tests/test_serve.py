"""`labelbook serve`: saving a spec rebuilds the page; a broken spec is reported in the
terminal with its file and line while the last good site keeps being served."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import FIXTURES, LABELBOOK, make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out waiting for the preview server")


def test_preview_reloads_on_save_and_survives_a_broken_spec(tmp_path: Path):
    project = make_project(tmp_path / "p", FIXTURES / "specs")
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")
    server = subprocess.Popen([str(LABELBOOK), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                              stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    url = f"http://127.0.0.1:{port}/mini/labels/first_label/"
    try:
        assert "A short definition in observable terms" in wait_for(lambda: fetch(url))
        taxonomy = project / "specs/mini/taxonomy.yaml"
        text = taxonomy.read_text()
        taxonomy.write_text(text.replace("A short definition in observable terms", "An edited definition, saved"))
        wait_for(lambda: "An edited definition, saved" in fetch(url))

        taxonomy.write_text(text.replace("mode: exclusive", "mode: exclusiv"))
        def reported():
            log.seek(0)
            return "specs/mini/taxonomy.yaml:2:7: error[invalid-value]: mode 'exclusiv'" in log.read()
        wait_for(reported)
        time.sleep(1.0)
        assert "An edited definition, saved" in fetch(url)  # the last good site is still served
        log.seek(0)
        assert "Traceback" not in log.read()
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()

"""Nothing lost under faults: builds at once, builds killed mid-way or inside the swap,
full and read-only disks, a held lock. Each leaves a complete site/ (the previous one
when the build did not finish), no staging folder, no engine process, and a one-line
`error:` with a `hint:`."""

from __future__ import annotations

import fcntl
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import LABELBOOK, REPO, run_labelbook
from generator.render.pages import PAGE_TEMPLATES
from gitrepo import ScriptedRepo

NARROWER = ('    definition: "A short definition in observable terms"',
            '    definition: "A narrower definition in observable terms"')
DECLARED = """  - type: definition
    summary: Narrowed the first label
    rationale: Raters split on borderline posts
    relabel_impact: {relabel: affected}
    labels: [first_label]"""


def released_repo(root: Path) -> ScriptedRepo:
    """A project whose history has two releases of mini (0.1.0 and 0.2.0)."""
    repo = ScriptedRepo(root)
    repo.edit("taxonomy.yaml", *NARROWER)
    repo.set_version("0.2.0", DECLARED)
    repo.commit("Narrow the first label")
    (repo.root / ".gitignore").write_text("site/\n.labelbook-cache/\n.site.*\nout/\n")
    repo.commit("Ignore build outputs")
    return repo


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(repo: ScriptedRepo) -> list[str]:
    found = [p.name for p in repo.root.iterdir() if p.name.startswith((".site.building", ".labelbook-release-"))]
    cache = repo.root / ".labelbook-cache"
    if cache.exists():
        found += [p.name for p in cache.rglob("*.partial-*")]
    return sorted(found)


def engine_processes(marker: str) -> list[int]:
    """Processes whose command line mentions marker (a staging folder or project path)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline and "mkdocs" in cmdline:
            pids.append(int(entry.name))
    return pids


def start_build(repo: ScriptedRepo, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.Popen([str(LABELBOOK), "build", *args], cwd=repo.root, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[ScriptedRepo, dict[str, bytes]]:
    """The repo with a complete site and a warm release cache, and the site's files."""
    repo = released_repo(tmp_path_factory.mktemp("faults") / "repo")
    result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    return repo, snapshot(repo.root / "site")


def test_a_build_while_another_holds_the_lock_is_refused_and_the_site_stays(built):
    repo, before = built
    with open(repo.root / ".site.lock", "r+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write("4242\n")
        lock.flush()
        result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-2:] == [
        "error: another build of site/ is running (pid 4242)",
        "hint: wait for it to finish (or stop it), then build again",
    ]
    assert snapshot(repo.root / "site") == before
    assert leftovers(repo) == []


def test_two_builds_at_once_never_leave_an_incomplete_site(built):
    repo, before = built
    site = repo.root / "site"
    missing: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        # A reader of the site (a web server, a deploy step) must always find it whole.
        while not stop.is_set():
            if not (site / "index.html").is_file() or not (site / "mini/latest/index.html").is_file():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(2):
            builds = [start_build(repo) for _ in range(2)]
            outcomes = [(b.wait(timeout=180), b.stderr.read()) for b in builds]
            for status, stderr in outcomes:
                assert status in (0, 2), stderr
                if status == 2:
                    assert re.search(r"^error: another build of site/ is running \(pid \d+\)$", stderr, re.M), stderr
            assert any(status == 0 for status, _ in outcomes)
    finally:
        stop.set()
        watcher.join()
    assert missing == []
    assert snapshot(site) == before  # the same inputs give the same bytes
    assert leftovers(repo) == []


def test_a_build_killed_mid_way_leaves_the_previous_site_and_no_engine(built):
    repo, before = built
    # Templates changed: the releases are rebuilt, so the kill lands inside engine runs.
    # (a project's own copy of a page template overrides the packaged one)
    template = repo.root / "site_templates/pages/_stamp.md.j2"
    template.parent.mkdir(parents=True)
    original = (PAGE_TEMPLATES / "_stamp.md.j2").read_text()
    template.write_text(original + "\n{# changed #}\n")
    try:
        build = start_build(repo)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not engine_processes(str(repo.root)):
            time.sleep(0.05)
        assert engine_processes(str(repo.root)), "the build never started its engine"
        time.sleep(1.0)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and engine_processes(str(repo.root)):
            time.sleep(0.1)
        assert engine_processes(str(repo.root)) == []  # the engine died with its parent
        assert snapshot(repo.root / "site") == before
    finally:
        template.write_text(original)
    # The next build cleans what the killed one left and builds the same site again.
    result = run_labelbook("build", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert leftovers(repo) == []
    assert snapshot(repo.root / "site") == before


SWAPPER = """
import sys
from pathlib import Path
from generator.site_folder import swap_folders
new, current = Path(sys.argv[1]), Path(sys.argv[2])
print("ready", flush=True)
while True:
    swap_folders(new, current)
"""


def test_a_kill_inside_the_swap_never_leaves_the_site_missing_or_mixed(tmp_path):
    site, staging = tmp_path / "site", tmp_path / ".site.building-1"
    for folder, version in ((site, "old"), (staging, "new")):
        folder.mkdir()
        for i in range(50):
            (folder / f"page{i}.html").write_text(version)
    rng = random.Random(7)
    for _ in range(30):
        swapper = subprocess.Popen([sys.executable, "-c", SWAPPER, str(staging), str(site)], cwd=REPO,
                                   stdout=subprocess.PIPE, text=True)
        assert swapper.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0, 0.02))
        swapper.send_signal(signal.SIGKILL)
        swapper.wait()
        contents = {p.read_text() for p in site.iterdir()}
        assert len(list(site.iterdir())) == 50 and len(contents) == 1, contents
        assert {p.read_text() for p in staging.iterdir()} == {"old", "new"} - contents


# Real full and read-only file systems: a small tmpfs, mounted by the tests (root only).
def _can_mount() -> bool:
    return os.geteuid() == 0 and subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_mount = pytest.mark.skipif(not _can_mount(), reason="mounting a test file system needs root")


@pytest.fixture
def small_disk(tmp_path):
    """Mount a tmpfs at tmp_path/disk; yields (mount point, remount read-only function)."""
    point = tmp_path / "disk"
    point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(point)], check=True)

    def read_only() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)

    try:
        yield point, read_only
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def old_site(folder: Path) -> dict[str, bytes]:
    (folder / "site").mkdir()
    (folder / "site/index.html").write_text("the previous good site\n")
    return snapshot(folder / "site")


@needs_mount
def test_a_full_disk_gives_one_line_and_keeps_the_previous_site(built, small_disk):
    repo, _ = built
    disk, _ = small_disk
    previous = old_site(disk)
    # (another address: the site's parts are not in the cache, so the engine writes them onto the full disk)
    result = run_labelbook("build", "--site-dir", str(disk / "site"), cwd=repo.root,
                           env={"LABELBOOK_SITE_URL": "http://127.0.0.1:8001/"})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-2:] == ["error: the site build failed; site/ was left as it was",
                          "hint: free disk space, then build again (the partial build was removed)"]
    assert any(re.match(r"engine error: OSError: \[Errno 28\] No space left on device", line) for line in lines)
    assert max(len(line) for line in lines) <= 400
    assert snapshot(disk / "site") == previous
    assert sorted(p.name for p in disk.iterdir()) == [".site.lock", "site"]


@needs_mount
def test_a_read_only_output_folder_gives_one_line(built, small_disk):
    repo, _ = built
    disk, read_only = small_disk
    previous = old_site(disk)
    read_only()
    result = run_labelbook("build", "--site-dir", str(disk / "site"), cwd=repo.root)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-2:] == [
        f"error: cannot prepare the build beside site/: Read-only file system: {disk}/.site.lock",
        "hint: the folder is on a read-only file system: choose a writable --site-dir or remount",
    ]
    assert snapshot(disk / "site") == previous


@needs_mount
def test_a_read_only_site_folder_is_reported_and_kept(built, tmp_path):
    repo, _ = built
    out = tmp_path / "out"
    out.mkdir()
    previous = old_site(out)
    site = out / "site"
    subprocess.run(["mount", "--bind", str(site), str(site)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(site)], check=True)
        result = run_labelbook("build", "--site-dir", str(site), cwd=repo.root)
        assert snapshot(site) == previous
    finally:
        subprocess.run(["umount", "-l", str(site)], check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-2:] == [
        f"error: cannot replace site/ with the new build: Device or resource busy: {site}",
        "hint: the folder is in use (a mount point or open elsewhere): choose another --site-dir",
    ]
    assert sorted(p.name for p in out.iterdir()) == [".site.lock", "site"]


@needs_mount
def test_a_read_only_project_gives_one_line(tmp_path):
    repo = released_repo(tmp_path / "repo")
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["mount", "--bind", str(repo.root), str(repo.root)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(repo.root)], check=True)
        result = run_labelbook("build", "--site-dir", str(out / "site"), cwd=repo.root)
    finally:
        subprocess.run(["umount", "-l", str(repo.root)], check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    error, hint = result.stderr.splitlines()[-2:]
    assert re.fullmatch(r"error: cannot write the build: Read-only file system: .*/\.labelbook-release-\d+-0\.yml", error)
    assert hint == "hint: the folder is on a read-only file system: choose a writable --site-dir or remount"
    assert sorted(p.name for p in out.iterdir()) == [".site.lock"]

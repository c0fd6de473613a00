"""Several engine builds in one process: `python -m labelbook_mkdocs.batch ENGINE [PROJECT]`.

Released pages are built by the hundred, and starting the engine (Python, MkDocs,
Material, the generator and its history of the repository) costs more than building one
release. labelbook starts a few of these workers and hands each its share of the
releases: one job per line on stdin, {"id", "config", "site_dir", "env"}; one line per
finished job on stdout, `labelbook-batch: {"id", "status"}` (0 built, 1 failed). The engine's messages go to
stderr as `mkdocs build -q` prints them. A job with "cache" ({"folder", "fingerprint",
"name"}) is a part of the working copy: its report adds the part's "key" and whether the
cache already had it ("cached"); only an uncached part is built (and said so on stdout).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable


class _InstalledThemes:
    """The engine's list of installed themes, looked up once per worker. The engine keeps
    it in a cache but empties that cache whenever it loads a theme, so every configuration
    loaded read the package metadata (entry points) again: a tenth of a small build. The
    installed packages cannot change while the worker runs."""

    def __init__(self, look_up: Callable[[], Any]) -> None:
        self.look_up = look_up
        self.found: Any = None

    def __call__(self) -> Any:
        if self.found is None:
            self.found = self.look_up()
        return self.found

    def cache_clear(self) -> None:
        pass


def main(argv: list[str]) -> int:
    engine = argv[1] if len(argv) > 1 else "mkdocs"
    if engine == "properdocs":
        importlib.import_module("properdocs.replacement")  # mkdocs.* imports (Material's) go to ProperDocs
    from mkdocs import utils
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from generator.publish import CACHE_DIR, TEMPLATES_CACHE
    from generator.render.markup import keep_compiled_templates

    utils.get_themes = _InstalledThemes(utils.get_themes)  # type: ignore[assignment]
    project = Path(argv[2]) if len(argv) > 2 else Path.cwd()
    keep_compiled_templates(project / CACHE_DIR / TEMPLATES_CACHE)

    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)  # as `mkdocs build -q`
    logger.propagate = False
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger.addHandler(stream)
    base_env = dict(os.environ)
    for line in sys.stdin:
        job = json.loads(line)
        os.environ.clear()
        os.environ.update(base_env, **job["env"])
        report: dict[str, object] = {"id": job["id"], "status": 0}
        try:
            config = load_config(config_file=job["config"], site_dir=job["site_dir"], strict=True)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                if "cache" in job:
                    report.update(_cached_or_build(job["cache"], config, build))
                else:
                    build(config)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as exc:  # as the engine's command line reports it
            logger.error(exc.format_message())
            report["status"] = 1
        print("labelbook-batch: " + json.dumps(report), flush=True)
    return 0


def _cached_or_build(cache: dict[str, str], config: Any, build: Callable[[Any], None]) -> dict[str, object]:
    """A part of the working copy: generate its pages first (cheap next to the engine), key
    them with everything else that shapes the output, and run the engine only when the
    cache has no build under that key. The date is in the key: the sitemap prints it."""
    plugin = config.plugins["labelbook"]
    plugin.prepare(config)  # raises PluginError, reported as the engine reports it
    material = "\0".join([cache["fingerprint"], os.environ.get("SOURCE_DATE_EPOCH", ""),
                          plugin.content_key(config)])
    key = hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]
    if (Path(cache["folder"]) / key).is_dir():
        return {"key": key, "cached": True}
    print(f"building {cache['name']}", flush=True)
    # The engine keeps one plugin instance for every job of this process (it has
    # on_startup): it is told that these pages are ready only for this build.
    plugin.prepared = True
    try:
        build(config)
    finally:
        plugin.prepared = False
    return {"key": key, "cached": False}


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Several engine builds in one process: `python -m labelbook_mkdocs.batch ENGINE`.

Released pages are built by the hundred, and starting the engine (Python, MkDocs,
Material, the generator and its history of the repository) costs more than building one
release. labelbook starts a few of these workers and hands each its share of the
releases: one job per line on stdin, {"id", "config", "site_dir", "env"}; one line per
finished job on stdout, `labelbook-batch: {"id", "status"}` (0 built, 1 failed). The engine's messages go to
stderr as `mkdocs build -q` prints them.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys


def main(argv: list[str]) -> int:
    engine = argv[1] if len(argv) > 1 else "mkdocs"
    if engine == "properdocs":
        importlib.import_module("properdocs.replacement")  # mkdocs.* imports (Material's) go to ProperDocs
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

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
        status = 0
        try:
            config = load_config(config_file=job["config"], site_dir=job["site_dir"], strict=True)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as exc:  # as the engine's command line reports it
            logger.error(exc.format_message())
            status = 1
        print("labelbook-batch: " + json.dumps({"id": job["id"], "status": status}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

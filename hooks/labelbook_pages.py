"""MkDocs hook: the thin adapter between MkDocs and labelbook's generator.

Specs are validated before MkDocs cleans the output folder (on_pre_build): a spec with
errors aborts `mkdocs build` with its file and line in the terminal and the site folder
left as it was. Under `mkdocs serve` the errors are printed and the pages of the last good
specs are built again, so the preview keeps serving them (an aborted rebuild would make
the server hold every request until the specs are fixed). A fault in a site template (or
in the generator) is reported the same way, as one line with the template's file and
line, never a traceback. Generated pages are added in on_files, each with an edit link to
the spec it comes from.
"""

from __future__ import annotations

import html
import logging
import os
import traceback
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

import generator
from generator.diagnostics import ERROR
from generator.load import UsageError
from generator.site import generate_release_site, generate_site

log = logging.getLogger("mkdocs.hooks.labelbook")
_pages = None  # the last good pages, by path
_nav = None
_command = "build"
GENERATOR = Path(generator.__file__).resolve().parent


def on_startup(command, dirty, **kwargs):
    global _command
    _command = command


def _nav_for_mkdocs(items):
    # MkDocs themes print nav titles as HTML; titles are spec text, so escape them here.
    return [{html.escape(title): _nav_for_mkdocs(target) if isinstance(target, list) else target}
            for title, target in items]


def _fail(message, fix=None):
    """Stop a build with message (and what to do, when the lead can fix it). Under `serve`
    with pages already built, log it instead and keep serving those: an aborted rebuild
    would make the server hold every request until the fault is fixed."""
    if _command == "serve" and _pages is not None:
        log.error(message)
        log.error("labelbook: still serving the last good version" + (f": {fix} and save again" if fix else ""))
        return
    if fix is None:
        raise PluginError(message)
    log.error(message)
    raise PluginError(f"labelbook: {fix} and build again (the last good site is left as it was)")


def _describe(exc, project):
    """One line for an exception of the generator, and the fix when it is the lead's: the
    template file and line when a template raised it, else where in labelbook it happened."""
    import jinja2  # the generator's template engine; imported here as only faults need it

    frames = traceback.extract_tb(exc.__traceback__)
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where = (exc.filename, exc.lineno)  # the parser's position: no template frame runs yet
    else:
        templates = (project / "site_templates").resolve()
        where = next(((f.filename, f.lineno) for f in reversed(frames) if _inside(f.filename, templates)), None)
    if isinstance(exc, jinja2.TemplateNotFound):
        detail = f"template '{exc.name}' not found"
    elif isinstance(exc, jinja2.TemplateError):
        detail = exc.message or type(exc).__name__
    else:
        detail = f"{type(exc).__name__}: {exc}"
    detail = " ".join(detail.split())
    if where is not None:
        return f"{_shown(where[0], project)}:{where[1]}: template error: {detail}", "fix the template"
    # Not a template: name the innermost frame of labelbook itself, not of a library.
    ours = [f for f in frames if _inside(f.filename, GENERATOR) or _inside(f.filename, project)] or frames
    at = f" at {_shown(ours[-1].filename, project)}:{ours[-1].lineno}" if ours else ""
    return f"labelbook: internal error{at}: {detail} (a bug: please report it with this line)", None


def _inside(filename, folder):
    return Path(filename).resolve().is_relative_to(folder)


def _shown(filename, project):
    path = Path(filename).resolve()
    for base in (project.resolve(), GENERATOR.parent):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def on_pre_build(config, **kwargs):
    global _pages, _nav
    project = Path(config.config_file_path).parent
    cwd = os.getcwd()
    os.chdir(project)  # messages name spec files relative to the project, as `labelbook check` does
    try:
        # `labelbook build` sets these: one frozen release of one guideline, or the working
        # copy with links to the release folders it publishes beside it.
        release = os.environ.get("LABELBOOK_RELEASE")  # "<guideline-id>@<version>"
        if release:
            guideline_id, _, version = release.partition("@")
            build = generate_release_site(Path("."), guideline_id, version)
        else:
            build = generate_site(Path("."), link_releases=os.environ.get("LABELBOOK_LINK_RELEASES") == "1")
    except UsageError as problem:
        return _fail(f"labelbook: {problem.message}" + (f" ({problem.hint})" if problem.hint else ""))
    except Exception as exc:  # a template or generator fault: one line, never a traceback
        if os.environ.get("LABELBOOK_DEBUG") == "1":  # `labelbook --debug build`: the whole story
            raise
        return _fail(*_describe(exc, project))
    finally:
        os.chdir(cwd)
    for warning in build.warnings:
        # Informational for MkDocs (a tree outside git still builds, even with --strict);
        # `labelbook build` prints these as warnings itself.
        log.info(f"labelbook: warning: {warning}")
    for d in build.report.sorted():
        (log.error if d.severity == ERROR else log.warning)(
            f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.message}" + (f" ({d.hint})" if d.hint else ""))
    if build.site is None:
        count = len(build.report.errors)
        if _command == "serve" and _pages is not None:
            log.error(f"labelbook: {count} error{'s' if count != 1 else ''} in the specs; "
                      "still serving the last good version: fix and save again")
            return
        raise PluginError(f"labelbook: {count} error{'s' if count != 1 else ''} in the specs; "
                          "fix and save again (the last good site is left as it was)")
    _pages, _nav = {p.path: p for p in build.site.pages}, _nav_for_mkdocs(build.site.nav)


def on_files(files, config, **kwargs):
    for page in _pages.values():
        generated = File.generated(config, page.path, content=page.markdown)
        generated.edit_uri = page.source
        files.append(generated)
    config.nav = _nav
    return files


def on_page_markdown(markdown, page, config, files, **kwargs):
    # Material prints `page.title | striptags` in <title>, which would turn an escaped
    # title back into markup; an escaped meta title is printed as it is.
    generated = _pages.get(page.file.src_uri)
    if generated is not None:
        page.meta["title"] = html.escape(generated.title)
        if generated.wide:
            page.meta["hide"] = ["toc"]  # Material: give a wide diagram the table of contents' room
    return markdown

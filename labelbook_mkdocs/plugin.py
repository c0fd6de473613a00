"""labelbook's MkDocs plugin: the thin adapter between the site engine and the generator.

Enabled with `plugins: [labelbook]` in mkdocs.yml (ProperDocs reads the same entry point).
It brings the packaged theme (Material overrides, stylesheet, script) and the generated
pages, so a guidelines repository needs only specs/ and a short mkdocs.yml; a project's
site_templates/overrides/ and site_templates/pages/ replace packaged files by name.

Specs are validated before the engine cleans the output folder (on_pre_build): a spec with
errors aborts the build with its file and line in the terminal and the site folder left as
it was. Under `serve` the errors are printed and the pages of the last good specs are
built again, so the preview keeps serving them (an aborted rebuild would make the server
hold every request until the specs are fixed). A fault in a site template (or in the
generator) is reported the same way, as one line with the template's file and line, never
a traceback. Generated pages are added in on_files, each with an edit link to the spec it
comes from.
"""

from __future__ import annotations

import html
import json
import logging
import os
import traceback
from pathlib import Path
from typing import Any, Callable

import jinja2
import jinja2.bccache
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

import generator
from generator.diagnostics import ERROR
from generator.load import UsageError
from generator.render.links import LinkSettings
from generator.render.markup import compiled_templates
from generator.site import ROOT_PART, generate_guideline_site, generate_release_site, generate_root_site, generate_site

from .prerendered_html import PrerenderedHtml

log = logging.getLogger("mkdocs.plugins.labelbook")
GENERATOR = Path(generator.__file__).resolve().parent
THEME = Path(__file__).resolve().parent / "theme"
ASSETS = ["assets/labelbook.css", "assets/labelbook.js"]
MATERIAL_SEARCH_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")
# Material features the pages rely on: section index pages, edit links, the pruned
# navigation that keeps large sites' pages small.
FEATURES = ["navigation.sections", "navigation.indexes", "navigation.prune", "navigation.top",
            "search.highlight", "content.action.edit"]


class TicketConfig(Config):
    pattern = config_options.Type(str)  # a regular expression, e.g. CS-(\d+)
    url = config_options.Type(str)  # the ticket's address: {0} the whole id, {1} ... the groups


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, by template and source checksum."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


THEME_BYTECODE = _MemoryBytecodeCache()
THEME_ENVS: dict[tuple[Any, ...], jinja2.Environment] = {}


class LabelbookConfig(Config):
    # Which engine `labelbook build` and `serve` run; the plugin itself works under either.
    engine = config_options.Choice(("mkdocs", "properdocs"), default="mkdocs")
    # Ticket ids in changelogs and histories link to the tracker, e.g.
    #   tickets: [{pattern: 'CS-(\d+)', url: 'https://tracker.example.org/browse/CS-{1}'}]
    tickets = config_options.ListOfItems(config_options.SubConfig(TicketConfig), default=[])
    # A commit's address; default <repo_url>/commit/{sha} (GitHub, GitLab, Gitea, Bitbucket).
    commit_url = config_options.Optional(config_options.Type(str))


class LabelbookPlugin(BasePlugin[LabelbookConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.project = Path(".")
        self.pages: dict[str, Any] | None = None  # the last good pages, by path
        self.nav: list[Any] = []
        self.prepared = False  # the pages of the coming build are generated already

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defined so the engine keeps this instance across `serve` rebuilds: the last good
        # pages live here.
        self.command = command

    def on_config(self, config: Any) -> Any:
        self.project = Path(config.config_file_path).resolve().parent
        # The pages come from specs/, not from docs_dir: the engine reads the packaged
        # assets there (docs_dir is still validated, so mkdocs.yml points it at specs/).
        config.docs_dir = str(THEME / "docs")
        overrides = self.project / "site_templates" / "overrides"
        theme_dirs = config.theme.dirs
        at = 1 if config.theme.custom_dir else 0  # after the project's own custom_dir
        if overrides.is_dir() and str(overrides) not in theme_dirs:
            theme_dirs.insert(at, str(overrides))
            at += 1
        theme_dirs.insert(at, str(THEME / "overrides"))
        features = config.theme.get("features") or []
        config.theme["features"] = features + [f for f in FEATURES if f not in features]
        for asset, extra in zip(ASSETS, (config.extra_css, config.extra_javascript)):
            if asset not in extra:
                extra.append(asset)
        for extension in ("attr_list", "toc"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if not any(isinstance(e, PrerenderedHtml) for e in config.markdown_extensions):
            config.markdown_extensions.append(PrerenderedHtml())  # the pages' HTML passes through unparsed
        config.mdx_configs.setdefault("toc", {}).setdefault("permalink", True)
        if os.environ.get("LABELBOOK_PART") == ROOT_PART and not os.environ.get("LABELBOOK_RELEASE"):
            # The root's navigation links each guideline's part, built on its own: those
            # addresses are not pages of this build, and are expected not to be.
            config.validation.nav.not_found = logging.DEBUG
        theme_env = config.theme.get_env
        # Under `serve` a file added to the theme's folders must be seen: list them each time.
        keep_listing = self.command != "serve"
        config.theme.get_env = lambda: shared_theme_env(theme_env, config, keep_listing)
        return config

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        for folder in (self.project / "specs", self.project / "site_templates"):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def on_pre_build(self, *, config: Any) -> None:
        if self.prepared:  # a batch worker generated the pages already (prepare)
            self.prepared = False
            return None
        return self.prepare(config)

    def prepare(self, config: Any) -> None:
        """Generate the pages this build publishes (raises PluginError when it cannot)."""
        self.project = Path(config.config_file_path).resolve().parent  # prepare may come before on_config
        cwd = os.getcwd()
        os.chdir(self.project)  # messages name spec files relative to the project, as `labelbook check` does
        try:
            # `labelbook build` sets these: one frozen release of one guideline, one part of
            # the working copy (the root pages, or one guideline), with links to the release
            # folders it publishes beside it.
            release = os.environ.get("LABELBOOK_RELEASE")  # "<guideline-id>@<version>"
            part = os.environ.get("LABELBOOK_PART")  # ROOT_PART or a guideline id
            link_releases = os.environ.get("LABELBOOK_LINK_RELEASES") == "1"
            links = self._links(config)
            if release:
                guideline_id, _, version = release.partition("@")
                build = generate_release_site(Path("."), guideline_id, version, links=links)
            elif part == ROOT_PART:
                build = generate_root_site(Path("."), link_releases=link_releases, links=links)
            elif part:
                build = generate_guideline_site(Path("."), part, link_releases=link_releases, links=links)
            else:  # the engine run on its own (`mkdocs build`): every page in one build
                build = generate_site(Path("."), link_releases=link_releases, links=links)
        except UsageError as problem:
            return self._fail(f"labelbook: {problem.message}" + (f" ({problem.hint})" if problem.hint else ""))
        except Exception as exc:  # a template or generator fault: one line, never a traceback
            if os.environ.get("LABELBOOK_DEBUG") == "1":  # `labelbook --debug build`: the whole story
                raise
            return self._fail(*describe_fault(exc, self.project))
        finally:
            os.chdir(cwd)
        for warning in build.warnings:
            # Informational for the engine (a tree outside git still builds, even with
            # --strict); `labelbook build` prints these as warnings itself.
            log.info(f"labelbook: warning: {warning}")
        for d in build.report.sorted():
            # A spec warning (a TODO left in a new guideline) is shown but does not stop the
            # engine's --strict build: `labelbook check --strict` is the gate for warnings.
            (log.error if d.severity == ERROR else log.info)(
                f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.code}]: {d.message}" + (f" ({d.hint})" if d.hint else ""))
        if build.site is None:
            count = len(build.report.errors)
            if self.command == "serve" and self.pages is not None:
                log.error(f"labelbook: {count} error{'s' if count != 1 else ''} in the specs; "
                          "still serving the last good version: fix and save again")
                return None
            raise PluginError(f"labelbook: {count} error{'s' if count != 1 else ''} in the specs; "
                              "fix and save again (the last good site is left as it was)")
        self.pages, self.nav = {p.path: p for p in build.site.pages}, nav_for_engine(build.site.nav)
        return None

    def content_key(self, config: Any) -> str:
        """What the generated pages and the loaded configuration put into this build, as
        text to hash: the pages (path, title, Markdown, spec, flags), the navigation, and the
        configuration values the templates print (set from the environment by !ENV)."""
        pages = [[p.path, p.title, p.markdown, p.source, p.wide, p.stamp, p.searchable]
                 for p in (self.pages or {}).values()]
        settings = {name: config.get(name) for name in ("site_name", "site_url", "site_description", "site_author",
                                                         "repo_url", "repo_name", "edit_uri", "copyright", "extra")}
        return json.dumps([pages, self.nav, settings], sort_keys=True, default=str)

    def on_files(self, files: Files, *, config: Any) -> Files:
        if "search" not in config.plugins:
            # Material's own search (its worker and the lunr language files, 1.2 MB in every
            # release folder) is only loaded by Material's search plugin; the site searches
            # with Pagefind (generator/search_index.py).
            for unused in [f for f in files if f.src_uri.startswith(MATERIAL_SEARCH_FILES)]:
                files.remove(unused)
        for page in (self.pages or {}).values():
            generated = File.generated(config, page.path, content=page.markdown)
            generated.edit_uri = page.source
            files.append(generated)
        config.nav = self.nav
        return files

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        # Material prints `page.title | striptags` in <title>, which would turn an escaped
        # title back into markup; an escaped meta title is printed as it is.
        generated = (self.pages or {}).get(page.file.src_uri)
        if generated is not None:
            page.meta["title"] = html.escape(generated.title)
            if generated.wide:
                page.meta["hide"] = ["toc"]  # Material: give a wide diagram the table of contents' room
            if not generated.searchable:
                page.meta["search"] = {"exclude": True}  # the search plugin's own switch
            if generated.stamp:
                # The version chip, print header and tab title (theme/overrides/main.html);
                # every value is escaped here, as the theme prints them as they are.
                page.meta["lb_stamp"] = {k: html.escape(v) for k, v in generated.stamp.items()}
                page.meta["lb_tab_title"] = html.escape(
                    f"{generated.title} · {generated.stamp['guideline']} {generated.stamp['version']}")
                page.meta["lb_print_line"] = css_string(print_line(generated.stamp))
        return markdown

    def _links(self, config: Any) -> LinkSettings:
        """Where commits and tickets link to: the engine's repo_url and this plugin's options
        (read with get: before the engine loads them, the options are a plain dict)."""
        tickets = [{"pattern": t["pattern"], "url": t["url"]} for t in self.config.get("tickets") or []]
        return LinkSettings.build(getattr(config, "repo_url", None), self.config.get("commit_url"), tickets)

    def _fail(self, message: str, fix: str | None = None) -> None:
        """Stop a build with message (and what to do, when the lead can fix it). Under
        `serve` with pages already built, log it instead and keep serving those: an aborted
        rebuild would make the server hold every request until the fault is fixed."""
        if self.command == "serve" and self.pages is not None:
            log.error(message)
            log.error("labelbook: still serving the last good version" + (f": {fix} and save again" if fix else ""))
            return
        if fix is None:
            raise PluginError(message)
        log.error(message)
        raise PluginError(f"labelbook: {fix} and build again (the last good site is left as it was)")


def print_line(stamp: dict[str, str]) -> str:
    """The header printed at the top of every page: guideline, version, date, commit, state."""
    parts = [stamp["guideline"], f"version {stamp['version']}", stamp["date"],
             f"commit {stamp['commit']}" if stamp["commit"] else "", stamp["state_text"]]
    return " · ".join(p for p in parts if p)


def css_string(text: str) -> str:
    """A CSS string that reads as text, whatever it holds: every character but letters,
    digits, spaces and a few marks is a CSS escape, so nothing ends the string or the
    <style> element it sits in."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:·")
    return '"' + "".join(c if c in safe else f"\\{ord(c):x} " for c in text) + '"'


def shared_theme_env(make_env: Callable[[], jinja2.Environment], config: Any,
                     keep: bool = True) -> jinja2.Environment:
    """The theme's environment, with what a batch worker (labelbook_mkdocs.batch) would
    otherwise redo for every part and release it builds: compiling the theme's templates
    (kept by source checksum), and, when keep, loading them (the environment itself is
    kept per theme folders and locale: the worker's builds share one configuration, and
    the engine sets nothing on it per build) and listing every file of the theme
    (Material: ~14,000, its icons) to copy the static ones."""
    if not keep:  # the engine's own `serve`: a template or file may change between rebuilds
        env = make_env()
        env.bytecode_cache = THEME_BYTECODE
        return env
    key = (tuple(config.theme.dirs), tuple(config.theme.static_templates), str(config.theme.locale))
    if key in THEME_ENVS:
        return THEME_ENVS[key]
    env = make_env()
    env.bytecode_cache = compiled_templates() or THEME_BYTECODE  # on disk in `labelbook build`'s workers
    listing = env.list_templates
    files: list[str] = []

    def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
        if extensions is not None or filter_func is None:
            return listing(extensions=extensions, filter_func=filter_func)
        if not files:  # the filter is the engine's own, fixed for one theme
            files.extend(listing(filter_func=filter_func))
        return list(files)

    env.list_templates = list_templates  # type: ignore[method-assign]
    THEME_ENVS.clear()
    THEME_ENVS[key] = env
    return env


def nav_for_engine(items: list[Any]) -> list[Any]:
    # Material prints nav titles as HTML; titles are spec text, so escape them here.
    return [{html.escape(title): nav_for_engine(target) if isinstance(target, list) else target}
            for title, target in items]


def describe_fault(exc: BaseException, project: Path) -> tuple[str, str | None]:
    """One line for an exception of the generator, and the fix when it is the lead's: the
    template file and line when a template raised it, else where in labelbook it happened."""
    import jinja2  # the generator's template engine; imported here as only faults need it

    frames = traceback.extract_tb(exc.__traceback__)
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where: tuple[str, int | None] | None = (exc.filename, exc.lineno)  # the parser's position
    else:
        templates = [(project / "site_templates").resolve(), GENERATOR / "page_templates"]
        where = next(((f.filename, f.lineno) for f in reversed(frames)
                      if any(_inside(f.filename, t) for t in templates)), None)
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


def _inside(filename: str, folder: Path) -> bool:
    return Path(filename).resolve().is_relative_to(folder)


def _shown(filename: str, project: Path) -> str:
    path = Path(filename).resolve()
    for base in (project.resolve(), GENERATOR.parent):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)

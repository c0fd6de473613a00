"""The `metrics` extra: pandas, numpy, pyarrow and matplotlib, which generator/metrics/
reads, computes and plots the quality figures with. They are optional
(pip install 'labelbook[metrics]'): check, new, schema, diff, export and the build of a
guideline without data never import them. What needs them calls require_metrics() before
importing generator.metrics, so a missing package is a usage error, not a traceback.
"""

from __future__ import annotations

from importlib import import_module

from .load import UsageError

PACKAGES = ("pandas", "numpy", "pyarrow", "matplotlib")
INSTALL_HINT = "install it: pip install 'labelbook[metrics]'"


def require_metrics(for_what: str) -> None:
    """Raise UsageError (exit status 2) unless every package of the extra imports. for_what
    is what needs them, e.g. "content-safety has annotation data; computing its quality
    figures"."""
    missing: list[str] = []
    broken: list[str] = []
    for name in PACKAGES:
        try:
            import_module(name)
        except ImportError as exc:
            if isinstance(exc, ModuleNotFoundError) and (exc.name or name).partition(".")[0] == name:
                missing.append(name)
            else:  # installed, but it (or something it needs) does not import
                broken.append(f"{name} fails to import ({type(exc).__name__}: {exc})")
    if not missing and not broken:
        return
    problems = []
    if missing:
        names = ", ".join(missing[:-1]) + f" and {missing[-1]}" if len(missing) > 1 else missing[0]
        problems.append(f"{names} {'is' if len(missing) == 1 else 'are'} not installed")
    raise UsageError(f"{for_what} needs the metrics extra ({', '.join(PACKAGES)}); " + "; ".join(problems + broken),
                     INSTALL_HINT)

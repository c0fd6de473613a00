"""Validate one spec file against its model and turn Pydantic errors into diagnostics.

Pydantic reports each error with a `loc` such as ("labels", 2, "defintion"); the YAML
position index is keyed by the same paths, so each message points at the exact line.
An unknown key makes the whole model fail, which would hide every later problem (a
dangling reference, a cycle in the tree): such keys are reported, pruned from a copy of
the data, and the file is validated again so the cross-checks still run.

Any other error leaves the file without a model, but not unchecked: the list item holding
each error (a label, an example, a rule, a question) or, outside lists, the key is left
out of a copy, and what remains is validated again. That partial model is what the
cross-checks read, so a type error in one label does not hide an unresolved parent in
another; `Validated.kept` maps its list positions back to the file's.

Only `true` and `false` are booleans: Pydantic would read "yes", "off" or 1 as one, so a
boolean field holding anything else is reported before the model is trusted.
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Report, quoted, shown
from .spec.common import ID_PATTERN
from .spec.manifest import SEMVER_PATTERN
from .yaml_source import SourceFile

KeyPath = tuple[Any, ...]


def suggest(word: str, candidates: typing.Iterable[str]) -> str | None:
    """The nearest candidate to a misspelt word, if one is close enough."""
    matches = difflib.get_close_matches(str(word), sorted(set(candidates)), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: typing.Iterable[str], *, always: bool = False) -> str:
    """"; did you mean 'x'?" for a close match; with always, else the nearest id there is
    (a reference must name an existing id, so the nearest one is where to start looking)."""
    # Escaped: a suggestion holding an invisible character would look like the word typed.
    match = suggest(word, candidates)
    if match:
        return f"; did you mean {quoted(match)}?"
    pool = sorted(set(candidates))
    if not always or not pool:
        return ""
    nearest = max(pool, key=lambda c: difflib.SequenceMatcher(None, str(word), c).ratio())
    return f"; the nearest id is {quoted(nearest)}"


def describe_path(data: Any, path: KeyPath) -> str:
    """A readable address for a value: labels[hate_speech].examples.positive[0]."""
    parts: list[str] = []
    node = data
    for step in path:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{ident}]" if isinstance(ident, str) and ident else f"[{step}]")
            node = item
        else:
            parts.append(("." if parts else "") + str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts) or "the top level"


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional, Annotated and unions opened)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg) if t is not type(None)]
    return [annotation]


def model_at(root: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    """The model class that describes the mapping at path, following fields and list items."""
    current: list[Any] = [root]
    for step in path:
        following: list[Any] = []
        for candidate in current:
            origin = typing.get_origin(candidate)
            if isinstance(step, int) and origin is list:
                following += _unwrap(typing.get_args(candidate)[0])
            elif isinstance(step, str) and isinstance(candidate, type) and issubclass(candidate, BaseModel):
                field = candidate.model_fields.get(step)
                if field is not None:
                    following += _unwrap(field.annotation)
            elif isinstance(step, str) and origin is dict:
                following += _unwrap(typing.get_args(candidate)[1])
        current = following
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _field_annotation(root: type[BaseModel], path: KeyPath) -> Any:
    parent = model_at(root, path[:-1])
    if parent is None or not isinstance(path[-1], str):
        return None
    field = parent.model_fields.get(path[-1])
    return field.annotation if field else None


def _enum_of(root: type[BaseModel], path: KeyPath) -> type[Enum] | None:
    annotation = _field_annotation(root, path)
    if annotation is None and path and isinstance(path[-1], int):
        # an item of a list of enums
        parent_annotation = _field_annotation(root, path[:-1])
        for t in _unwrap(parent_annotation) if parent_annotation is not None else []:
            if typing.get_origin(t) is list:
                annotation = typing.get_args(t)[0]
    for t in _unwrap(annotation) if annotation is not None else []:
        if isinstance(t, type) and issubclass(t, Enum):
            return t
    return None


# A key the model does not define; an integer key (`1: x`) is one too, though Pydantic
# reports it as "Keys should be strings".
_UNKNOWN_KEY = ("extra_forbidden", "invalid_key")

_TYPE_NAMES = {
    str: "text", int: "a whole number", float: "a number", bool: "true or false",
    list: "a list", dict: "a mapping", type(None): "nothing",
}


# Booleans in YAML 1.1 and to Pydantic, text in YAML 1.2 and in specs.
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}


def _kind(value: Any) -> str:
    for t, name in _TYPE_NAMES.items():
        if type(value) is t:
            return name
    return type(value).__name__


def _key_name(path: KeyPath) -> str:
    for step in reversed(path):
        if isinstance(step, str):
            return step
    return "item"


def _message(error: dict[str, Any], source: SourceFile, root: type[BaseModel]) -> tuple[str, str, str, bool]:
    """(code, message, hint, point_at_key) for one Pydantic error."""
    kind = error["type"]
    loc: KeyPath = tuple(error["loc"])
    where = describe_path(source.data, loc[:-1]) if loc else "the top level"
    at = f" in {where}" if loc[:-1] else ""
    value = error.get("input")
    name = _key_name(loc)

    if kind in _UNKNOWN_KEY:
        parent = model_at(root, loc[:-1])
        fields = list(parent.model_fields) if parent else []
        fix = source.comma_keys.get(loc)
        if fix is not None:
            # `{role: ML lead, parsing}`: the comma ended the value and made a key of the rest.
            return ("unknown-key", f"unknown key {quoted(loc[-1])}{at}",
                    f"quote the value, as in {fix}: inside {{ }} a comma ends a value, "
                    f"so {quoted(loc[-1])} was read as a key", True)
        hint = "allowed keys here: " + ", ".join(fields) if fields else ""
        return "unknown-key", f"unknown key {quoted(loc[-1])}{at}{did_you_mean(str(loc[-1]), fields)}", hint, True
    if loc and loc[-1] == "[key]":
        # A key of a free-form mapping (split name -> share) that YAML read as a number.
        where = describe_path(source.data, loc[:-2])
        return ("wrong-type", f"key {quoted(loc[-2])} in {where} must be text, not {_kind(value)}",
                f"quote the key to make it text: '{loc[-2]}':", True)
    if kind == "missing":
        return "missing-key", f"missing required key '{loc[-1]}'{at}", f"add '{loc[-1]}:'" + (f" to {where}" if at else ""), False
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern")
        if pattern == SEMVER_PATTERN:
            return ("invalid-version", f"{name} {quoted(value)} is not a semantic version",
                    "write MAJOR.MINOR.PATCH, e.g. 1.4.0 (quote it if YAML reads it as a number)", False)
        if pattern == ID_PATTERN:
            hint = "use lowercase letters, digits, '-' and '_', starting with a letter or digit (at most 64)"
            if shown(value) != str(value):
                hint = "delete the invisible character (retype the id); " + hint
            return "invalid-id", f"{name} {quoted(value)} is not a valid id", hint, False
    if kind == "enum":
        enum = _enum_of(root, loc)
        options = [m.value for m in enum] if enum else []
        listed = ", ".join(options)
        return ("invalid-value", f"{name} {quoted(value)} is not one of: {listed}{did_you_mean(str(value), options)}",
                "", False)
    if kind in ("string_type", "int_type", "float_type", "bool_type", "list_type", "dict_type", "model_type",
                "int_parsing", "float_parsing", "bool_parsing", "int_from_float", "date_type", "date_parsing",
                "model_attributes_type"):
        wanted = {
            "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
            "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
            "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
            "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
            "date_type": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)",
        }[kind]
        hint = "quote the value to make it text" if wanted == "text" else f"write {wanted} here"
        if value is None:
            return "missing-value", f"{name}{at} is empty; expected {wanted}", "fill in the value", False
        if wanted == "a mapping" and isinstance(value, list):
            return ("wrong-type", f"{name}{at} must be a mapping (key: value lines), not a list (lines starting with -)",
                    f"write the keys of {name} as key: value lines without '- ' in front", False)
        if wanted == "a list" and isinstance(value, dict):
            return ("wrong-type", f"{name}{at} must be a list (lines starting with -), not a mapping (key: value lines)",
                    "start each item with '- ' on its own line, or write the items as [a, b]", False)
        if wanted == "a list" and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            hint = f"write a list: [{shown(value)}], or each item on its own line starting with '- '"
            line = source.dash_lines.get(loc)
            if line is not None:
                # `purpose: training` then `  - evaluation`: the item became more of the text.
                hint = (f"line {line} starts with '- ' but reads as more of the text after '{name}:': put nothing "
                        f"after '{name}:' and write every item on its own line starting with '- '")
        if wanted == "true or false":
            if isinstance(value, str):
                said = value.strip().lower()
                hint = ("write true or false: yes, no, on and off are text in specs, not booleans"
                        if said in _YAML11_BOOLS else "write true or false")
                return "wrong-type", f"{name}{at} must be true or false, not the text {quoted(value)}", hint, False
            hint = "write true or false"
        return "wrong-type", f"{name}{at} must be {wanted}, not {_kind(value)}", hint, False
    if kind in ("string_too_short",):
        return "missing-value", f"{name}{at} is empty", "write the text or remove the key if optional", False
    if kind in ("too_short",):
        minimum = error.get("ctx", {}).get("min_length", 1)
        items = f"{minimum} item{'s' if minimum != 1 else ''}"
        return "too-few", f"{name}{at} needs at least {items}", f"add at least {items} to the list", False
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return ("out-of-range", f"{name}{at}: {error['msg'].lower()} (got {value})",
                "change the value to one within that bound", False)
    if kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
        return "invalid-value", f"{describe_path(source.data, loc)}: {message}", "", False
    return "invalid-value", f"{name}{at}: {error['msg']}", "", False


def _fields(root: type[BaseModel], path: KeyPath) -> list[str]:
    parent = model_at(root, tuple(path))
    return list(parent.model_fields) if parent else []


def _prune(data: Any, path: KeyPath) -> None:
    node = data
    for step in path[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(node, dict):
        node.pop(path[-1], None)


# --- booleans: only true and false -------------------------------------------------------

_BOOL_PLANS: dict[type[BaseModel], tuple[frozenset[str], dict[str, tuple[str, type[BaseModel]]]]] = {}


def _bool_plan(model: type[BaseModel]) -> tuple[frozenset[str], dict[str, tuple[str, type[BaseModel]]]]:
    """The model's boolean fields, and the fields ("model", "list" or "dict" of a model)
    that lead to more of them: the only parts of the data worth walking."""
    plan = _BOOL_PLANS.get(model)
    if plan is not None:
        return plan
    _BOOL_PLANS[model] = (frozenset(), {})  # a model that contains itself stops here
    bools, children = set(), {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        for t in _unwrap(info.annotation):
            origin = typing.get_origin(t)
            if t is bool:
                if not any(u is str for u in _unwrap(info.annotation)):
                    bools.add(key)
            elif isinstance(t, type) and issubclass(t, BaseModel):
                children[key] = ("model", t)
            elif origin in (list, dict):
                for item in _unwrap(typing.get_args(t)[-1]):
                    if isinstance(item, type) and issubclass(item, BaseModel):
                        children[key] = ("list" if origin is list else "dict", item)
    children = {k: v for k, v in children.items() if _reaches_bool(v[1])}
    plan = _BOOL_PLANS[model] = (frozenset(bools), children)
    return plan


def _reaches_bool(model: type[BaseModel]) -> bool:
    bools, children = _bool_plan(model)
    return bool(bools or children)


def _loose_booleans(model: type[BaseModel], data: Any, path: KeyPath = ()) -> list[dict[str, Any]]:
    """Errors, shaped like Pydantic's, for boolean fields holding anything but true/false."""
    if not isinstance(data, dict):
        return []
    bools, children = _bool_plan(model)
    errors = [{"type": "bool_type", "loc": path + (key,), "input": data[key], "msg": "Input should be a valid boolean"}
              for key in bools if key in data and data[key] is not None and not isinstance(data[key], bool)]
    for key, (shape, child) in children.items():
        value = data.get(key)
        if shape == "model":
            errors += _loose_booleans(child, value, path + (key,))
        elif shape == "list" and isinstance(value, list):
            for i, item in enumerate(value):
                errors += _loose_booleans(child, item, path + (key, i))
        elif shape == "dict" and isinstance(value, dict):
            for k, item in value.items():
                errors += _loose_booleans(child, item, path + (key, k))
    return errors


def _attempt(model: type[BaseModel], data: Any) -> tuple[BaseModel | None, list[dict[str, Any]]]:
    """The model of data, or its errors (booleans checked the YAML 1.2 way)."""
    loose = _loose_booleans(model, data)
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        # Pydantic's ErrorDetails are plain dicts at run time
        errors = typing.cast(list[dict[str, Any]], exc.errors(include_url=False))
        seen = {tuple(e["loc"]) for e in errors}
        return None, [e for e in loose if e["loc"] not in seen] + errors
    return (None, loose) if loose else (result, [])


# --- what can be read of a file with errors ----------------------------------------------

_GONE = object()  # a list item left out (kept in place so the other items keep their index)
_SALVAGE_ROUNDS = 12


@dataclass
class Validated:
    """One file's validation: `model` when the file is valid (its unknown keys aside),
    `partial` the model of what could be read (the model itself when valid; None when
    nothing could), `pruned` the file's paths left out of it and `kept` the file's index
    of each item of a list that lost items (list path -> file indexes, in order)."""

    model: BaseModel | None
    partial: BaseModel | None = None
    pruned: list[KeyPath] = field(default_factory=list)
    kept: dict[KeyPath, list[int]] = field(default_factory=dict)
    _holding: set[KeyPath] | None = field(default=None, repr=False, compare=False)

    def whole(self, path: KeyPath) -> bool:
        """Whether nothing at or under path (a path into the file) was left out."""
        if self._holding is None:  # every path that holds something left out
            self._holding = {left[:k] for left in self.pruned for k in range(len(left) + 1)}
        return path not in self._holding


def file_path(kept: dict[KeyPath, list[int]], path: KeyPath) -> KeyPath:
    """A path into a partial model as a path into the file it was read from."""
    out: tuple[Any, ...] = ()
    for step in path:
        index = kept.get(out)
        if index is not None and isinstance(step, int) and 0 <= step < len(index):
            step = index[step]
        out += (step,)
    return out


def _compact(node: Any, path: KeyPath, kept: dict[KeyPath, list[int]]) -> Any:
    if isinstance(node, list):
        keep = [i for i, item in enumerate(node) if item is not _GONE]
        if len(keep) != len(node):
            kept[path] = keep
        return [_compact(node[i], path + (i,), kept) for i in keep]
    if isinstance(node, dict):
        return {k: _compact(v, path + (k,), kept) for k, v in node.items()}
    return node


def _target(data: Any, loc: KeyPath) -> KeyPath | None:
    """What to leave out for an error at loc: the innermost list item holding it, else the
    key holding it; None when the error is the file's top level itself."""
    node: Any = data
    real: KeyPath = ()
    item: KeyPath | None = None
    for step in loc:
        if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node) and node[step] is not _GONE:
            node, real = node[step], real + (step,)
            item = real
        elif isinstance(node, dict) and not isinstance(step, bool) and step in node:
            node, real = node[step], real + (step,)
        else:
            break  # a missing key, a union member's name, Pydantic's "[key]" marker
    if item is not None:
        return item
    return real or None


def _leave_out(data: Any, path: KeyPath) -> None:
    node = data
    for step in path[:-1]:
        node = node[step]
    if isinstance(node, list):
        node[path[-1]] = _GONE
    else:
        del node[path[-1]]


def _salvage(model: type[BaseModel], data: Any, errors: list[dict[str, Any]]) -> Validated:
    """The model of data without the parts the errors are in (data is a private copy)."""
    pruned: list[KeyPath] = []
    done: set[KeyPath] = set()
    kept: dict[KeyPath, list[int]] = {}
    for _ in range(_SALVAGE_ROUNDS):
        targets = set()
        for error in errors:
            target = _target(data, file_path(kept, tuple(error["loc"])))
            if target is None:
                return Validated(None)
            targets.add(target)
        # Outermost first; a target inside one already left out needs nothing more.
        for target in sorted(targets, key=len):
            if not any(target[:k] in done for k in range(1, len(target) + 1)):
                _leave_out(data, target)
                pruned.append(target)
                done.add(target)
        kept = {}
        partial, errors = _attempt(model, _compact(data, (), kept))
        if partial is not None:
            return Validated(None, partial, pruned, kept)
    return Validated(None)


def validate_file(source: SourceFile, model: type[BaseModel], report: Report) -> BaseModel | None:
    """The validated model, or None; every problem goes to the report either way."""
    return validate_parts(source, model, report).model


def validate_parts(source: SourceFile, model: type[BaseModel], report: Report) -> Validated:
    """Validate a file, reporting every problem; see `Validated` for what comes back."""
    if source.data is None:
        report.error(source.path, (1, 1), "empty-file", "file is empty",
                     "fill it in; `labelbook new <id>` writes a template of every file")
        return Validated(None)
    if not isinstance(source.data, dict):
        report.error(source.path, source.pos(()), "wrong-type",
                     f"the file must hold a mapping of keys, not {_kind(source.data)}",
                     "write the file as top-level `key: value` lines; `labelbook new <id>` writes a template")
        return Validated(None)
    result, errors = _attempt(model, source.data)
    if result is not None:
        return Validated(result, result)
    unknown = [e for e in errors if e["type"] in _UNKNOWN_KEY]
    # A misspelt key also makes the real key "missing": report the typo only.
    suggested = {tuple(e["loc"][:-1]) + (suggest(e["loc"][-1], _fields(model, e["loc"][:-1])),) for e in unknown}
    errors = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in suggested)]
    for error in errors:
        code, message, hint, at_key = _message(error, source, model)
        loc = tuple(error["loc"])
        loc = loc[:-1] if loc and loc[-1] == "[key]" else loc  # Pydantic's marker of a dict key
        pos = source.key_pos(loc) if at_key else source.pos(loc)
        report.error(source.path, pos, code, message, hint)
    data = copy.deepcopy(source.data)
    if unknown:
        for error in unknown:
            _prune(data, tuple(error["loc"]))
        if len(unknown) == len(errors):
            # Only unknown keys: without them the file is what the model reads.
            result, errors = _attempt(model, data)
            if result is not None:
                return Validated(result, result)
        else:
            errors = [e for e in errors if e["type"] not in _UNKNOWN_KEY]
    return _salvage(model, data, errors)

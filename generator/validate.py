"""Validate one spec file against its model and turn Pydantic errors into diagnostics.

Pydantic reports each error with a `loc` such as ("labels", 2, "defintion"); the YAML
position index is keyed by the same paths, so each message points at the exact line.
An unknown key makes the whole model fail, which would hide every later problem (a
dangling reference, a cycle in the tree): such keys are reported, pruned from a copy of
the data, and the file is validated again so the cross-checks still run.
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
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


def did_you_mean(word: str, candidates: typing.Iterable[str]) -> str:
    # Escaped: a suggestion holding an invisible character would look like the word typed.
    match = suggest(word, candidates)
    return f"; did you mean {quoted(match)}?" if match else ""


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


def validate_file(source: SourceFile, model: type[BaseModel], report: Report) -> BaseModel | None:
    """The validated model, or None; every problem goes to the report either way."""
    if source.data is None:
        report.error(source.path, (1, 1), "empty-file", "file is empty",
                     f"fill it in; `labelbook new <id>` writes a template of every file")
        return None
    if not isinstance(source.data, dict):
        report.error(source.path, source.pos(()), "wrong-type",
                     f"the file must hold a mapping of keys, not {_kind(source.data)}",
                     "write the file as top-level `key: value` lines; `labelbook new <id>` writes a template")
        return None
    data = source.data
    for attempt in range(2):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        unknown = [e for e in errors if e["type"] in _UNKNOWN_KEY]
        if attempt == 0:
            # A misspelt key also makes the real key "missing": report the typo only.
            suggested = {tuple(e["loc"][:-1]) + (suggest(e["loc"][-1], _fields(model, e["loc"][:-1])),)
                         for e in unknown}
            errors = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in suggested)]
            for error in errors:
                code, message, hint, at_key = _message(error, source, model)
                loc = tuple(error["loc"])
                loc = loc[:-1] if loc and loc[-1] == "[key]" else loc  # Pydantic's marker of a dict key
                pos = source.key_pos(loc) if at_key else source.pos(loc)
                report.error(source.path, pos, code, message, hint)
        if attempt == 0 and unknown and len(unknown) == len(errors):
            # Only unknown keys: validate the rest so later checks still see this file.
            data = copy.deepcopy(source.data)
            for error in unknown:
                _prune(data, tuple(error["loc"]))
            continue
        return None
    return None

"""Load a YAML file into a pydantic model, with errors that name the file, the line and the field.

Restaurant data and replay transcripts are written by hand, so a mistake must point at its line:
the node tree is composed first, a map from every key's path (`("menu", 3, "price")`) to its
line is kept, and the first pydantic error is translated into a `FixtureError` at that line.

The loader reads plain YAML with three fixes to YAML 1.1 habits that bite restaurant files:
`17:00` stays the string "17:00" (not the base-60 integer 1020), `yes`/`no`/`on`/`off` stay
strings (only `true`/`false` are booleans), and dates stay strings for the model to parse.
Duplicate keys are errors instead of silently keeping the last one.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from resvoice.errors import FixtureError

M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 1024 * 1024  # a restaurant file or a transcript is a few KB; /dev/zero is not
MAX_NODES = 100_000  # values after alias expansion: an alias bomb passes it in a few lines

PathKey = tuple[str | int, ...]


def load_yaml_model(path: Path, model: type[M], max_bytes: int = MAX_FILE_BYTES) -> M:
    """Read `path` (at most `max_bytes` of it) and validate it as `model`.

    Raises:
        FixtureError: the file cannot be read, is larger than `max_bytes`, is not valid YAML,
            expands past `MAX_NODES` values, is not a mapping at the top, or does not validate;
            the error names the line and the field.
    """
    try:
        with path.open("rb") as stream:  # a bounded read: a device or a pipe never ends
            raw = stream.read(max_bytes + 1)
        if len(raw) > max_bytes:
            limit = f"{max_bytes / 2**20:g} MB" if max_bytes >= 2**20 else f"{max_bytes} bytes"
            raise FixtureError(str(path), f"the file is larger than {limit}")
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FixtureError(str(path), f"the file is not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise FixtureError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return parse_yaml_model(text, model, str(path))


def parse_yaml_model(text: str, model: type[M], source_name: str = "<string>") -> M:
    """Validate YAML `text` as `model`; `source_name` is the file name errors report."""
    data, lines = _parse(text, source_name)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _fixture_error(exc, lines, source_name) from None


# -- parsing ---------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars: no base-60 numbers, no yes/no booleans."""


# Timestamps stay strings too: the model parses dates, and a bad one ("2026-02-30") becomes a
# validation error at its line instead of a crash inside the YAML constructor.
_RETYPED = (
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _RETYPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$|^0x[0-9a-fA-F_]+$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?$"
        r"|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"
        r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
    ),
    list("-+0123456789."),
)


def _parse(text: str, source_name: str) -> tuple[dict[str, Any], dict[PathKey, int]]:
    """The top-level mapping of `text` and the line (1-based) of every key and list item."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise FixtureError(source_name, "the file is empty; expected a mapping of keys", 1)
        lines: dict[PathKey, int] = {(): root.start_mark.line + 1}
        _walk(root, (), lines, source_name, [0])
        data = loader.construct_document(root)
    except RecursionError:
        raise FixtureError(source_name, "invalid YAML: nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        raise FixtureError(source_name, f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise FixtureError(source_name, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the value {data!r}"
        raise FixtureError(
            source_name, f"the top level must be a mapping of keys, found {kind}", lines[()]
        )
    return data, lines


def _walk(
    node: yaml.Node, path: PathKey, lines: dict[PathKey, int], source: str, count: list[int]
) -> None:
    """Record every key's line; `count` holds the values seen so far, aliases expanded, so a
    document that expands past `MAX_NODES` is refused before anything is constructed."""
    count[0] += 1
    if count[0] > MAX_NODES:
        raise FixtureError(
            source,
            f"the document expands to more than {MAX_NODES} values (aliases of aliases?)",
            node.start_mark.line + 1,
        )
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # complex keys have no dotted path; validation reports them
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key == "<<":
                _walk(value_node, path, lines, source, count)
                continue
            if key in seen:
                raise FixtureError(source, f"duplicate key {key!r}", line, _field((*path, key)))
            seen.add(key)
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, source, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines, source, count)


# -- errors ----------------------------------------------------------------------------------

_UNION_TAG = re.compile(r"[\[\](),'\"]|^[A-Z]")
_SCALARS = (str, int, float, bool, type(None))


def _fixture_error(
    exc: ValidationError, lines: dict[PathKey, int], source_name: str
) -> FixtureError:
    errors = exc.errors(include_url=False)
    error = errors[0]
    hint = ""
    if error["type"] == "missing":
        # pydantic lists missing fields before unknown keys; a misspelt key yields both, and
        # the unknown key is what the author has to fix.
        parent = error["loc"][:-1]
        missing = [str(e["loc"][-1]) for e in errors if e["type"] == "missing"]
        typo = next(
            (e for e in errors if e["type"] == "extra_forbidden" and e["loc"][:-1] == parent),
            None,
        )
        if typo is not None:
            error = typo
            close = difflib.get_close_matches(str(typo["loc"][-1]), missing, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
    path, field_parts = _resolve(tuple(error["loc"]), lines)
    if error["type"] in ("model_type", "dict_type"):
        # A scalar where a union also allows a mapping ("closed" or hours): the scalar branch's
        # message ("input should be 'closed'") says more than "should be a dictionary".
        error = next(
            (
                e
                for e in errors
                if e["type"] not in ("model_type", "dict_type")
                and _resolve(tuple(e["loc"]), lines)[1] == field_parts
            ),
            error,
        )
    name = field_parts[-1] if field_parts else None
    if error["type"] == "extra_forbidden":
        message = f"unknown key {name!r}{hint}"
    elif error["type"] == "missing":
        message = f"missing required field {name!r}"
    else:
        message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        message = message[:1].lower() + message[1:]
        value = error.get("input")
        if isinstance(value, _SCALARS) and len(repr(value)) <= 60 and repr(value) not in message:
            message += f", got {value!r}"
    return FixtureError(source_name, message, lines.get(path), _field(field_parts) or None)


def _resolve(
    loc: tuple[str | int, ...], lines: dict[PathKey, int]
) -> tuple[PathKey, tuple[str | int, ...]]:
    """The deepest path of `loc` present in the file, and `loc` without pydantic's union tags."""
    path: PathKey = ()
    parts: list[str | int] = []
    descending = True
    for element in loc:
        if descending:
            hit = next((c for c in ((*path, element), (*path, str(element))) if c in lines), None)
            if hit is not None:
                path = hit
                parts.append(element)
                continue
        if isinstance(element, str) and _UNION_TAG.search(element):
            continue  # e.g. "DayHours" or "literal['closed']": which union branch failed
        parts.append(element)
        descending = False
    return path, tuple(parts)


def _field(parts: tuple[str | int, ...]) -> str:
    """`("menu", 3, "price")` -> `menu[3].price`."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out

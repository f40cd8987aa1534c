"""Loading the årshjul YAML file: syntax, schema and cross-reference checks with exact locations.

Every problem names the file, the path inside it (`reports[2].due`), the line when known, and what
is wrong; nothing is half-loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from arshjul.calendar.config import RULE_KEYS, ArshjulConfig
from arshjul.calendar.crossref import cross_reference_issues


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates and times to the schema.

    PyYAML turns `2025-02-30` into a traceback and `8:30` into the number 510 (base 60); as text,
    pydantic reports them at their place in the file.
    """


_PLAIN = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _PLAIN]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(
        r"""^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$""",
        re.X,
    ),
    list("-+0123456789"),
)


class ConfigIssue(NamedTuple):
    """One finding in a configuration file: where (path, line, column) and what is wrong."""

    path: str  # e.g. "reports[2].due"; "" for the whole file
    message: str
    line: int | None = None
    column: int | None = None


class ConfigError(Exception):
    """A configuration file that cannot be used, with every problem found."""

    def __init__(self, source: str, issues: list[ConfigIssue]) -> None:
        self.source = source
        self.issues = issues
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = []
        for issue in self.issues:
            where = f"line {issue.line}" if issue.line else ""
            if issue.line and issue.column:
                where += f", column {issue.column}"
            head = ": ".join(p for p in (self.source, issue.path, where) if p)
            lines.append(f"{head}: {issue.message}")
        return "\n".join(lines)


def format_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """Formats a location tuple as `reports[2].due.month`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _node_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    # Walks the composed YAML tree along a location, to point at the line of the problem.
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            return node
        if node is None:
            return None
    return node


def _line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    # The line of the key when the place is a key's value (`date:` rather than its first child).
    for cut in range(len(loc), -1, -1):
        node = _node_at(root, loc[:cut])
        if node is None:
            continue
        parent = _node_at(root, loc[: cut - 1]) if cut else None
        if isinstance(parent, yaml.MappingNode) and isinstance(loc[cut - 1], str):
            key = next((k for k, _ in parent.value if getattr(k, "value", None) == loc[cut - 1]))
            return key.start_mark.line + 1
        return node.start_mark.line + 1
    return None


def _duplicate_keys(node: yaml.Node | None, loc: tuple[Any, ...] = ()) -> list[ConfigIssue]:
    # PyYAML keeps the last of two equal keys silently; a repeated key is almost always a mistake.
    issues: list[ConfigIssue] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = getattr(key, "value", None)
            if isinstance(name, str) and name in seen:
                issues.append(
                    ConfigIssue(
                        format_path((*loc, name)),
                        f"key {name!r} appears twice",
                        key.start_mark.line + 1,
                    )
                )
            seen.add(str(name))
            issues.extend(_duplicate_keys(value, (*loc, name)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            issues.extend(_duplicate_keys(item, (*loc, i)))
    return issues


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # Union tags ("FixedDate") are pydantic's bookkeeping, not a place in the file.
    tags = set(RULE_KEYS.values())
    return tuple(p for p in loc if not (isinstance(p, str) and p in tags))


def _message(err: ErrorDetails) -> str:
    msg = str(err["msg"])
    if err["type"] == "extra_forbidden":
        return "unknown key (not allowed here)"
    if err["type"] == "missing":
        return "required key is missing"
    if (
        "input" in err
        and err["type"] not in ("date_rule",)
        and not isinstance(err["input"], dict | list)
    ):
        return f"{msg} (got {err['input']!r})"
    return msg


def load_config_text(text: str, source: str = "<string>") -> ArshjulConfig:
    """Parses and validates a configuration given as YAML text; raises ConfigError."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise ConfigError(
            source, [ConfigIssue("", f"YAML syntax error: {problem}", line, column)]
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(source, [ConfigIssue("", f"YAML error: {exc}")]) from None
    if not isinstance(data, dict):
        raise ConfigError(
            source, [ConfigIssue("", "the file must hold a mapping with organisation, units, …")]
        )
    issues = _duplicate_keys(root)
    if issues:
        raise ConfigError(source, issues)
    try:
        config = ArshjulConfig.model_validate(data)
    except ValidationError as exc:
        issues = []
        for err in exc.errors():
            loc = _clean_loc(tuple(err["loc"]))
            issues.append(ConfigIssue(format_path(loc), _message(err), _line(root, loc)))
        raise ConfigError(source, issues) from None
    problems = [
        ConfigIssue(path, message, _line(root, _parse_path(path)))
        for path, message in cross_reference_issues(config)
    ]
    if problems:
        raise ConfigError(source, problems)
    return config


def _parse_path(path: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for chunk in path.replace("[", ".[").split("."):
        if chunk.startswith("[") and chunk.endswith("]"):
            parts.append(int(chunk[1:-1]))
        elif chunk:
            parts.append(chunk)
    return tuple(parts)


def locator(text: str) -> Callable[[str], int | None]:
    """Returns a function giving the line of a place (`reports[2].due`) in YAML text."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        root = None
    return lambda path: _line(root, _parse_path(path)) if root is not None else None


def load_config(path: Path | str) -> ArshjulConfig:
    """Reads and validates the configuration file at `path`; raises ConfigError."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(source, [ConfigIssue("", "file not found")]) from None
    except IsADirectoryError:
        raise ConfigError(source, [ConfigIssue("", "is a directory, not a file")]) from None
    except UnicodeDecodeError:
        raise ConfigError(source, [ConfigIssue("", "not UTF-8 text")]) from None
    except OSError as exc:
        raise ConfigError(source, [ConfigIssue("", f"cannot read: {exc.strerror}")]) from None
    return load_config_text(text, source)


__all__ = [
    "ConfigError",
    "ConfigIssue",
    "format_path",
    "locator",
    "load_config",
    "load_config_text",
]

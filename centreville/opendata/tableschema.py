"""The national schemas we follow (Table Schema files copied from schema.data.gouv.fr into `schemas/`), and
a validator of a CSV file against one.

The validator checks what schema.data.gouv.fr's validator (Validata) reports on our files: the header (every
field, in the schema's order, nothing else), required values, types and constraints. It is small on purpose:
a Table Schema library (frictionless) would bring a dozen dependencies for what the tests and exports need.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SCHEMAS = Path(__file__).resolve().parent / "schemas"

# Table Schema's defaults (https://specs.frictionlessdata.io/table-schema/).
DEFAULT_MISSING_VALUES = ("",)
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INTEGER = re.compile(r"^[+-]?\d+$")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
YEAR = re.compile(r"^\d{4}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@cache
def load(file_name: str) -> dict[str, Any]:
    """A schema file of `schemas/`, parsed."""
    with (SCHEMAS / file_name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@dataclass(frozen=True)
class Problem:
    row: int  # the line of the CSV file, the header being line 1
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.row}, {self.field or 'header'}: {self.message}"


def validate_csv(text: str, schema: Mapping[str, Any]) -> list[Problem]:
    """Every way in which a CSV file (comma-separated, as a text) breaks `schema`; an empty list if none."""
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    fields: list[Mapping[str, Any]] = list(schema["fields"])
    names = [spec["name"] for spec in fields]
    problems = []
    if header != names:
        problems.append(Problem(1, "", f"header {header} differs from the schema's fields {names}"))
        return problems
    missing = tuple(schema.get("missingValues", DEFAULT_MISSING_VALUES))
    keys = _primary_key(schema)
    seen: dict[tuple[str, ...], int] = {}
    for line, row in enumerate(rows, start=2):
        if len(row) != len(names):
            problems.append(Problem(line, "", f"{len(row)} cells, {len(names)} expected"))
            continue
        values = dict(zip(names, row, strict=True))
        for spec in fields:
            message = check_value(values[spec["name"]], spec, missing)
            if message:
                problems.append(Problem(line, spec["name"], message))
        if keys:
            key = tuple(values[name] for name in keys)
            if key in seen:
                problems.append(Problem(line, ",".join(keys), f"same key as line {seen[key]}"))
            seen[key] = line
    return problems


def _primary_key(schema: Mapping[str, Any]) -> tuple[str, ...]:
    key = schema.get("primaryKey") or ()
    return (key,) if isinstance(key, str) else tuple(key)


def check_value(value: str, spec: Mapping[str, Any], missing: Iterable[str] = DEFAULT_MISSING_VALUES) -> str:
    """What is wrong with one cell for its field, or "" if nothing."""
    constraints: Mapping[str, Any] = spec.get("constraints", {})
    if value in missing:
        return "required value missing" if constraints.get("required") else ""
    kind = spec.get("type", "string")
    try:
        parsed = _parse(value, kind, spec)
    except ValueError as error:
        return f"not a {kind}: {value!r} ({error})"
    return _constraint_problem(value, parsed, constraints)


def _parse(value: str, kind: str, spec: Mapping[str, Any]) -> Any:
    if kind == "string":
        _check_string_format(value, spec.get("format", "default"))
        return value
    if kind == "integer":
        if not INTEGER.match(value):
            raise ValueError("digits expected")
        return int(value)
    if kind == "number":
        if not NUMBER.match(value):
            raise ValueError("a decimal point, no thousands separator")
        return Decimal(value)
    if kind == "boolean":
        if value in spec.get("trueValues", DEFAULT_TRUE_VALUES):
            return True
        if value in spec.get("falseValues", DEFAULT_FALSE_VALUES):
            return False
        raise ValueError("not one of the true or false values")
    if kind == "date":
        return _parse_date(value, spec.get("format", "default"))
    if kind == "datetime":
        return _parse_datetime(value, spec.get("format", "default"))
    if kind == "year":
        if not YEAR.match(value):
            raise ValueError("four digits expected")
        return int(value)
    if kind in ("array", "object", "geojson"):
        parsed = json.loads(value)
        expected = list if kind == "array" else dict
        if not isinstance(parsed, expected):
            raise ValueError(f"JSON {kind} expected")
        if kind == "geojson" and "type" not in parsed:
            raise ValueError("a GeoJSON object has a type")
        return parsed
    raise ValueError(f"type {kind} is not known to this validator")


def _check_string_format(value: str, form: str) -> None:
    if form == "email" and not EMAIL.match(value):
        raise ValueError("an e-mail address expected")
    if form == "uri":
        parts = urlsplit(value)
        if not parts.scheme or not (parts.netloc or parts.path):
            raise ValueError("an absolute URI expected")


def _parse_date(value: str, form: str) -> date:
    if form in ("default", "any"):
        if len(value) != 10:
            raise ValueError("YYYY-MM-DD expected")
        return date.fromisoformat(value)
    return datetime.strptime(value, form).date()


def _parse_datetime(value: str, form: str) -> datetime:
    if form == "default":
        # Table Schema's default is ISO 8601, "2019-09-07T13:15:00Z"; Validata (frictionless) also reads an
        # offset, "2019-09-07T15:15:00+02:00", which a town's local day needs. A time without its zone is
        # refused here (frictionless reads it): we never publish one, it would be ambiguous.
        if not ISO_DATETIME.match(value):
            raise ValueError("YYYY-MM-DDThh:mm:ss then Z or an offset (+02:00) expected")
        return datetime.fromisoformat(value)
    if form == "any":
        return datetime.fromisoformat(value)
    return datetime.strptime(value, form)


def _constraint_problem(value: str, parsed: Any, constraints: Mapping[str, Any]) -> str:
    enum = constraints.get("enum")
    if enum is not None and value not in enum and parsed not in enum:
        return f"{value!r} is not one of the allowed values"
    pattern = constraints.get("pattern")
    if pattern is not None and not re.fullmatch(pattern, value):
        return f"{value!r} does not match {pattern}"
    if "minimum" in constraints and parsed < constraints["minimum"]:
        return f"{value} is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and parsed > constraints["maximum"]:
        return f"{value} is above the maximum {constraints['maximum']}"
    if "minLength" in constraints and len(parsed) < constraints["minLength"]:
        return f"shorter than {constraints['minLength']}"
    if "maxLength" in constraints and len(parsed) > constraints["maxLength"]:
        return f"longer than {constraints['maxLength']}"
    return ""

"""The validator the exports are checked with finds what a schema forbids."""

from __future__ import annotations

from typing import Any

from centreville.opendata import tableschema

SCHEMA: dict[str, Any] = {
    "primaryKey": "id",
    "missingValues": ["", "NA"],
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "insee", "type": "string", "constraints": {"pattern": r"^\d{5}$"}},
        {"name": "site", "type": "string", "format": "uri"},
        {"name": "count", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "lat", "type": "number", "constraints": {"minimum": -90, "maximum": 90}},
        {"name": "open", "type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]},
        {"name": "kind", "type": "string", "constraints": {"enum": ["IN", "OUT"]}},
        {"name": "start", "type": "datetime"},
        {"name": "day", "type": "date"},
    ],
}
HEADER = "id,insee,site,count,lat,open,kind,start,day\r\n"


def problems(*rows: str) -> list[str]:
    return [str(problem) for problem in tableschema.validate_csv(HEADER + "".join(rows), SCHEMA)]


def test_a_valid_file_has_no_problem() -> None:
    assert (
        problems(
            "1,61006,https://argentan.fr/,12,48.7445,oui,IN,2026-03-29T01:00:00Z,2026-03-29\r\n",
            "2,NA,,,,,,,\r\n",
        )
        == []
    )


def test_each_broken_rule_is_reported_with_its_line_and_field() -> None:
    found = problems(
        ",6100,argentan.fr,-1,1.5e2,vrai,in,2026-03-29 03:00,29/03/2026\r\n",
        '3,61006,,1.5,"48,7",,,,\r\n',
        "3,,,,,,,,\r\n",
    )

    assert found == [
        "line 2, id: required value missing",
        "line 2, insee: '6100' does not match ^\\d{5}$",
        "line 2, site: not a string: 'argentan.fr' (an absolute URI expected)",
        "line 2, count: -1 is below the minimum 0",
        "line 2, lat: 1.5e2 is above the maximum 90",
        "line 2, open: not a boolean: 'vrai' (not one of the true or false values)",
        "line 2, kind: 'in' is not one of the allowed values",
        "line 2, start: not a datetime: '2026-03-29 03:00' (YYYY-MM-DDThh:mm:ss then Z or an offset (+02:00) "
        "expected)",
        "line 2, day: not a date: '29/03/2026' (Invalid isoformat string: '29/03/2026')",
        "line 3, count: not a integer: '1.5' (digits expected)",
        "line 3, lat: not a number: '48,7' (a decimal point, no thousands separator)",
        "line 4, id: same key as line 3",
    ]


def test_a_header_in_another_order_is_refused() -> None:
    text = "insee,id,site,count,lat,open,kind,start,day\r\n"

    (problem,) = tableschema.validate_csv(text, SCHEMA)

    assert problem.row == 1
    assert "differs from the schema's fields" in problem.message


def test_a_datetime_is_in_utc_or_says_its_offset_as_validata_reads_it() -> None:
    start = {"name": "start", "type": "datetime"}

    assert tableschema.check_value("2026-03-29T00:00:00+01:00", start) == ""
    assert tableschema.check_value("2026-03-30T00:00:00+02:00", start) == ""
    assert tableschema.check_value("2026-03-29T01:00:00Z", start) == ""
    assert tableschema.check_value("2026-03-29T00:00:00", start).startswith("not a datetime")
    assert tableschema.check_value("2026-03-29T00:00:00+1:00", start).startswith("not a datetime")

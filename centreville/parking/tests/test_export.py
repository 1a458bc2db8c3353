"""The export in the national schema « stationnement » v0.1.5 validates against its Table Schema."""

from __future__ import annotations

import json
from pathlib import Path

from centreville.opendata import tableschema
from centreville.opendata.datasets import dataset_by_slug
from centreville.parking import export
from centreville.parking.csv_import import import_car_parks
from centreville.towns.models import Town

FILES = Path(__file__).parent / "files"


def test_the_schema_copy_is_stationnement_0_1_5() -> None:
    schema = export.table_schema()
    assert (schema["version"], schema["primaryKey"]) == ("0.1.5", "id")
    assert export.columns()[:3] == ["id", "nom", "insee"]


def test_the_export_validates_against_the_schema(argentan: Town) -> None:
    import_car_parks(town=argentan, data=(FILES / "stationnement_messy.csv").read_bytes())

    text = export.stationnement_csv(town_id=argentan.pk)

    assert tableschema.validate_csv(text, export.table_schema()) == []
    lines = text.splitlines()
    assert lines[0].split(",") == export.columns()
    # The car park without SIRET nor users is left out (the schema requires both).
    assert [line.split(",")[0] for line in lines[1:]] == ["61006-P-001", "61006-P-002"]
    assert ",N/A," in lines[1]
    assert ",210," in lines[2]


def test_an_invalid_line_would_be_caught_by_the_validator(argentan: Town) -> None:
    """The test above means something: the validator sees a broken file."""
    import_car_parks(town=argentan, data=(FILES / "stationnement_messy.csv").read_bytes())
    text = export.stationnement_csv(town_id=argentan.pk).replace("61006-P-001", "61006-P-1")
    problems = tableschema.validate_csv(text, json.loads(json.dumps(export.table_schema())))
    assert [problem.field for problem in problems] == ["id"]


def test_the_open_data_dataset_publishes_the_same_records(argentan: Town) -> None:
    import_car_parks(town=argentan, data=(FILES / "stationnement_messy.csv").read_bytes())
    dataset = dataset_by_slug("stationnement")
    assert dataset is not None
    assert dataset.schema is not None
    assert dataset.schema.version == "0.1.5"
    records = list(dataset.records(argentan, at=None))
    assert [record["id"] for record in records] == ["61006-P-001", "61006-P-002"]
    assert dataset.summary(argentan, at=None).records == 2
    assert dataset.geometry is not None
    assert dataset.geometry(records[0]) == {"type": "Point", "coordinates": [-0.02095, 48.74478]}

"""Importing a town's shops from OpenStreetMap (GeoJSON) and from the SIRENE register (CSV).

`osm` and `sirene` read a file into `Candidate`s and `Skipped`s; `common.import_shops()` applies them to
the town, matching earlier imports by OpenStreetMap id or SIRET; `runs` records an import as it goes.
"""

from django.urls import path, register_converter

from . import views_public

app_name = "opendata"


class FileFormatConverter:
    """The formats a dataset is written in (opendata.writers.FORMATS)."""

    regex = "csv|geojson"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FileFormatConverter, "opendata_format")

# Under /<town>/donnees-ouvertes/.
urlpatterns = [
    path("", views_public.datasets_page, name="datasets"),
    path("catalogue.json", views_public.catalogue, name="catalogue"),
    path("<slug:dataset_slug>.schema.json", views_public.table_schema, name="table_schema"),
    path("<slug:dataset_slug>.<opendata_format:file_format>", views_public.download, name="download"),
]

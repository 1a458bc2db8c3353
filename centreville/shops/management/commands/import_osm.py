from centreville.shops.imports.cli import ImportCommand
from centreville.shops.models import ShopSource


class Command(ImportCommand):
    help = "Importe les commerces d'une ville depuis un export OpenStreetMap (GeoJSON d'overpass turbo)."
    source = ShopSource.OSM

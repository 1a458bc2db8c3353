from centreville.shops.imports.cli import ImportCommand
from centreville.shops.models import ShopSource


class Command(ImportCommand):
    help = (
        "Importe les commerces d'une ville depuis le fichier SIRENE des établissements (StockEtablissement, "
        "CSV, éventuellement compressé en gzip ou zip), lu ligne à ligne."
    )
    source = ShopSource.SIRENE

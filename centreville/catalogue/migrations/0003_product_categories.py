from django.db import migrations


def load_categories(apps, schema_editor):
    from centreville.catalogue.taxonomy import PRODUCT_CATEGORIES

    ProductCategory = apps.get_model("catalogue", "ProductCategory")
    for position, (name, slug) in enumerate(PRODUCT_CATEGORIES):
        ProductCategory.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


def unload_categories(apps, schema_editor):
    from centreville.catalogue.taxonomy import PRODUCT_CATEGORIES

    ProductCategory = apps.get_model("catalogue", "ProductCategory")
    ProductCategory.objects.filter(slug__in=[slug for _, slug in PRODUCT_CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_showcase")]

    operations = [migrations.RunPython(load_categories, unload_categories)]

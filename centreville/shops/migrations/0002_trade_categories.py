"""Load the reference trade taxonomy (centreville.shops.taxonomy) into TradeCategory."""

from django.db import migrations

from centreville.shops.taxonomy import TRADE_CATEGORIES


def load_trade_categories(apps, schema_editor):
    """Every category of the taxonomy exists once, with its name, NAF codes and position."""
    TradeCategory = apps.get_model("shops", "TradeCategory")
    db = schema_editor.connection.alias
    for position, spec in enumerate(TRADE_CATEGORIES):
        values = {
            "name": spec.name,
            "slug": spec.slug,
            "naf_codes": list(spec.naf_codes),
            "position": position,
        }
        # Match on the slug, or on the name if someone created the trade by hand under another slug.
        category = (
            TradeCategory.objects.using(db).filter(slug=spec.slug).first()
            or TradeCategory.objects.using(db).filter(name=spec.name).first()
        )
        if category is None:
            TradeCategory.objects.using(db).create(**values)
        else:
            for field, value in values.items():
                setattr(category, field, value)
            category.save()


def unload_trade_categories(apps, schema_editor):
    """Remove the taxonomy's categories, except those a shop still uses."""
    TradeCategory = apps.get_model("shops", "TradeCategory")
    Shop = apps.get_model("shops", "Shop")
    db = schema_editor.connection.alias
    used = Shop.objects.using(db).values("category_id")
    TradeCategory.objects.using(db).filter(slug__in=[spec.slug for spec in TRADE_CATEGORIES]).exclude(
        pk__in=used
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("shops", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_trade_categories, unload_trade_categories),
    ]

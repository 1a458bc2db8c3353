# The town's order rules (delays, online payment), set on its fulfilment page, move here from the orders
# app (orders 0007): their table is renamed and their content type follows, with its permissions.

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def content_type_to_fulfilment(apps, schema_editor):
    _move_content_type(apps, schema_editor, 'orders', 'fulfilment')


def content_type_to_orders(apps, schema_editor):
    _move_content_type(apps, schema_editor, 'fulfilment', 'orders')


def _move_content_type(apps, schema_editor, from_label, to_label):
    content_types = apps.get_model('contenttypes', 'ContentType').objects.using(schema_editor.connection.alias)
    if not content_types.filter(app_label=to_label, model='townordersettings').exists():
        content_types.filter(app_label=from_label, model='townordersettings').update(app_label=to_label)


class Migration(migrations.Migration):

    dependencies = [
        ('fulfilment', '0002_shop_delivery_windows'),
        ('orders', '0007_town_order_settings_moves_to_fulfilment'),
        ('towns', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TownOrderSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('accept_within_hours', models.PositiveSmallIntegerField(default=24, validators=[django.core.validators.MinValueValidator(1)], verbose_name='délai pour accepter (heures)')),
                        ('collect_within_days', models.PositiveSmallIntegerField(default=7, validators=[django.core.validators.MinValueValidator(1)], verbose_name='délai pour retirer (jours)')),
                        ('online_payment_enabled', models.BooleanField(default=False, verbose_name='paiement en ligne proposé')),
                        ('town', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='order_settings', to='towns.town')),
                    ],
                    options={
                        'verbose_name': 'règles des commandes',
                        'verbose_name_plural': 'règles des commandes',
                        'db_table': 'orders_townordersettings',
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='townordersettings', table=None),
        migrations.RunPython(content_type_to_fulfilment, content_type_to_orders),
    ]

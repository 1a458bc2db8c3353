# The customer's contact preference, offered again at their next checkout, moves here from the notifications
# app (notifications 0003): its table is renamed and its content type follows, with its permissions.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to_orders(apps, schema_editor):
    _move_content_type(apps, schema_editor, 'notifications', 'orders')


def content_type_to_notifications(apps, schema_editor):
    _move_content_type(apps, schema_editor, 'orders', 'notifications')


def _move_content_type(apps, schema_editor, from_label, to_label):
    content_types = apps.get_model('contenttypes', 'ContentType').objects.using(schema_editor.connection.alias)
    if not content_types.filter(app_label=to_label, model='contactpreference').exists():
        content_types.filter(app_label=from_label, model='contactpreference').update(app_label=to_label)


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0005_order_reopening_and_delivery_city'),
        ('notifications', '0003_contact_preference_moves_to_orders'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ContactPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('notify_by', models.CharField(choices=[('email', 'E-mail'), ('sms', 'SMS')], max_length=5, verbose_name='prévenu par')),
                        ('phone', models.CharField(blank=True, max_length=20, verbose_name='téléphone')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='contact_preference', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'préférence de contact',
                        'verbose_name_plural': 'préférences de contact',
                        'constraints': [models.CheckConstraint(condition=models.Q(('notify_by__in', ['email', 'sms'])), name='contact_preference_channel_known')],
                        'db_table': 'notifications_contactpreference',
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='contactpreference', table=None),
        migrations.RunPython(content_type_to_orders, content_type_to_notifications),
    ]

# The town's order rules are set on its fulfilment page: the model moves to the fulfilment app, its table
# with it (fulfilment 0003). Nothing changes in the database here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0006_contact_preference_from_notifications'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='TownOrderSettings')],
        ),
    ]

# The customer's contact preference belongs to checkout: the model moves to the orders app, its table with
# it (orders 0006). Nothing changes in the database here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_contact_preference'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ContactPreference')],
        ),
    ]

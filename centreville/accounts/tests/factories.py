"""Test factories of people and their roles in a town."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from centreville.accounts.models import Role, TownRole, User
from centreville.towns.tests.factories import TownFactory

DEFAULT_PASSWORD = "motdepasse-de-test-42"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Accounts are usable at once unless `verified=False` is asked for."""
        if create:
            obj.save()
            if extracted is not False:
                from allauth.account.models import EmailAddress

                EmailAddress.objects.update_or_create(
                    user=obj, email=obj.email, defaults={"verified": True, "primary": True}
                )


class TownRoleFactory(DjangoModelFactory[TownRole]):
    class Meta:
        model = TownRole

    user = factory.SubFactory(UserFactory)
    town = factory.SubFactory(TownFactory)
    role = Role.MANAGER

"""People, their e-mail login and their roles in each town."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from centreville.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person, known by e-mail. A superuser is a platform administrator."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("adresse e-mail"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser


class Role(models.TextChoices):
    """Roles granted per town. Residents are every signed-up person; merchants are shop members."""

    MANAGER = "manager", _("Manager de centre-ville")
    ELECTED = "elected", _("Élu·e")
    PRODUCER = "producer", _("Producteur")
    BUYER = "buyer", _("Acheteur professionnel")
    ADVISER = "adviser", _("Conseiller numérique")
    EXPERT = "expert", _("Expert bénévole")
    ORGANISER = "organiser", _("Organisateur d'événements")


class TownRole(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="town_roles")
    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("rôle dans une ville")
        verbose_name_plural = _("rôles dans les villes")
        ordering = ["town", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "town", "role"], name="town_role_once"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="town_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.town}"

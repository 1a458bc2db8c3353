"""Personal API tokens: how a merchant's app signs in without a browser session."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A named key that acts as its user until it expires or is revoked; only its SHA-256 is kept, the key
    is shown once. A change of its user's password revokes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the key, so that its owner can tell tokens apart.
    prefix = models.CharField(_("début de la clé"), max_length=12)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"))
    revoked = models.BooleanField(_("révoqué"), default=False)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now: datetime) -> bool:
        return not self.revoked and now < self.expires_at

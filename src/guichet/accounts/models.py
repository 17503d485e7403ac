from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENCY = "agency", _("Agency staff (one-stop shop)")
    OFFICER = "officer", _("Local-authority officer")


class User(AbstractUser):
    """A person who signs in: agency staff, or an officer of exactly one authority.

    Investors do not sign in: they reach their dossier through a private link.
    """

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.OFFICER)
    authority = models.ForeignKey(
        "catalogue.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="officer")
                | models.Q(authority__isnull=False)
                | models.Q(is_superuser=True),
                name="officer_has_authority",
            ),
        ]

    @property
    def is_agency(self) -> bool:
        return self.is_active and (self.role == Role.AGENCY or self.is_superuser)

    def clean(self) -> None:
        super().clean()
        if self.role == Role.OFFICER and self.authority_id is None:
            raise ValidationError({"authority": _("An officer must belong to an authority.")})

from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core import visibility


class Role(models.TextChoices):
    ADMIN = visibility.ROLE_ADMIN, _("Admin")
    MANAGER = visibility.ROLE_MANAGER, _("Manager")
    MEMBER = visibility.ROLE_MEMBER, _("Member")
    VIEWER = visibility.ROLE_VIEWER, _("Viewer")

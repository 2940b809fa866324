from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilyTimeConfig(AppConfig):
    name = "reunify.family_time"
    label = "family_time"
    verbose_name = _("Family time")

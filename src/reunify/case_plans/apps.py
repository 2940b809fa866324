from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasePlansConfig(AppConfig):
    name = "reunify.case_plans"
    label = "case_plans"
    verbose_name = _("Case plans")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadHomeConfig(AppConfig):
    name = "reunify.road_home"
    label = "road_home"
    verbose_name = _("The road home")

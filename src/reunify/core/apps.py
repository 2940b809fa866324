from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reunify.core"
    label = "core"
    verbose_name = "Core"

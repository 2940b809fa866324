from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "reunify.cases"
    label = "cases"
    verbose_name = "Cases"

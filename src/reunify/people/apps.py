from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "reunify.people"
    label = "people"
    verbose_name = "People"

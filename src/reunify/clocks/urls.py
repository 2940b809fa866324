from django.urls import path

from reunify.clocks import views

app_name = "clocks"
urlpatterns = [
    path("", views.due, name="due"),
    path("units/<int:pk>/", views.unit_clocks, name="unit"),
    path("episodes/<int:pk>/exception/", views.exception_record, name="exception"),
    path("digest/", views.digest_settings, name="digest"),
    path("agency/", views.agency_profile, name="agency-profile"),
]

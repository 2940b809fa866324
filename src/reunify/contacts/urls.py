from django.urls import path

from reunify.contacts import views

app_name = "contacts"
urlpatterns = [
    path("cases/<int:pk>/children/<int:person_pk>/visit/", views.visit_record, name="visit-record"),
    path(
        "cases/<int:pk>/children/<int:person_pk>/",
        views.child_contacts,
        name="child-contacts",
    ),
    path("units/<int:pk>/compliance/", views.unit_compliance, name="unit-compliance"),
    path("compliance/", views.agency_compliance, name="agency-compliance"),
]

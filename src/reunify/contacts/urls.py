from django.urls import path

from reunify.contacts import views

app_name = "contacts"
urlpatterns = [
    path("cases/<int:pk>/children/<int:person_pk>/visit/", views.visit_record, name="visit-record")
]

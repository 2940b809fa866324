from django.urls import path

from reunify.people import views

app_name = "people"
urlpatterns = [
    path("<int:pk>/", views.person_detail, name="person-detail"),
    path("<int:pk>/edit/", views.person_edit, name="person-edit"),
]

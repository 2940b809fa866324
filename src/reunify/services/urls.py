from django.urls import path

from reunify.services import views

app_name = "services"
urlpatterns = [
    path("", views.service_search, name="search"),
    path("<int:pk>/", views.service_detail, name="service-detail"),
    path("import/", views.directory_import, name="directory-import"),
]

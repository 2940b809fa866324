from django.urls import path

from reunify.case_plans import views

app_name = "case_plans"
urlpatterns = [path("episodes/<int:pk>/", views.record, name="record")]

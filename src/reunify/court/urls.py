from django.urls import path

from reunify.court import views

app_name = "court"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("cases/<int:pk>/hearings/new/", views.hearing_schedule, name="hearing-schedule"),
    path("cases/<int:pk>/findings/new/", views.finding_record, name="finding-record"),
    path("cases/<int:pk>/orders/new/", views.order_record, name="order-record"),
    path("cases/<int:pk>/petitions/new/", views.petition_file, name="petition-file"),
    path("hearings/<int:pk>/held/", views.hearing_held, name="hearing-held"),
    path("hearings/<int:pk>/continue/", views.hearing_continue, name="hearing-continue"),
    path("hearings/<int:pk>/vacate/", views.hearing_vacate, name="hearing-vacate"),
]

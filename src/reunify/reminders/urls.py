from django.urls import path

from reunify.reminders import views

app_name = "reminders"
urlpatterns = [
    path("episodes/<int:pk>/", views.episode, name="episode"),
    path("episodes/<int:pk>/stop/", views.subscription_stop, name="subscription-stop"),
    path("r/<slug:token>/", views.respond, name="respond"),
]

from django.urls import path

from reunify.family_time import views

app_name = "family_time"
urlpatterns = [
    path("episodes/<int:pk>/", views.child, name="child"),
    path("episodes/<int:pk>/plan/", views.plan_create, name="plan-create"),
    path("sessions/<int:pk>/", views.session_record, name="session-record"),
    path("plans/<int:pk>/propose/", views.level_propose, name="level-propose"),
    path("plans/<int:pk>/decide/", views.level_decide, name="level-decide"),
    path("plans/<int:pk>/restrict/", views.level_restrict, name="level-restrict"),
]
urlpatterns += [
    path("week/", views.week, name="week"),
    path("levels/", views.level_names, name="level-names"),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/revoke/", views.feed_revoke, name="feed-revoke"),
    path("feeds/<slug:token>.ics", views.feed, name="feed"),
]

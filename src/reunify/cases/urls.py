from django.urls import path

from reunify.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("cases/new/", views.case_open, name="case-open"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/reassign/", views.case_reassign, name="case-reassign"),
    path("cases/<int:pk>/intake-report/", views.intake_report, name="intake-report"),
    path(
        "cases/<int:pk>/children/<int:person_pk>/removal/",
        views.removal_record,
        name="removal-record",
    ),
    path("episodes/<int:pk>/placement/", views.placement_change, name="placement-change"),
    path("episodes/<int:pk>/discharge/", views.episode_discharge, name="episode-discharge"),
    path("episodes/<int:pk>/goal/", views.goal_set, name="goal-set"),
    path("episodes/<int:pk>/relative-notice/", views.relative_notice, name="relative-notice"),
    path("episodes/<int:pk>/concurrent-review/", views.concurrent_review, name="concurrent-review"),
    path("episodes/<int:pk>/reentry-review/", views.reentry_review, name="reentry-review"),
    path("handovers/<int:pk>/", views.transition, name="transition"),
    path("units/<int:pk>/", views.unit_caseloads, name="unit-caseloads"),
]

from django.urls import path

from reunify.tracing import views

app_name = "tracing"
urlpatterns = [
    path("", views.home, name="home"),
    path("children/new/", views.child_new, name="child-new"),
    path("children/<int:pk>/", views.child_detail, name="child-detail"),
    path("children/<int:pk>/edit/", views.child_edit, name="child-edit"),
    path("children/<int:pk>/photo/", views.child_photo, name="child-photo"),
    path("children/<int:pk>/actions/", views.child_action, name="child-action"),
    path("children/<int:pk>/decision/", views.child_decision, name="child-decision"),
    path("children/<int:pk>/reunification/", views.child_reunification, name="child-reunification"),
    path("children/<int:pk>/follow-ups/", views.child_follow_up, name="child-follow-up"),
    path("children/<int:pk>/close/", views.child_close, name="child-close"),
    path("decisions/<int:pk>/approve/", views.decision_approve, name="decision-approve"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/actions/", views.request_action, name="request-action"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate-detail"),
    path("candidates/<int:pk>/confirm/", views.candidate_confirm, name="candidate-confirm"),
    path("candidates/<int:pk>/reject/", views.candidate_reject, name="candidate-reject"),
    path("candidates/<int:pk>/interviews/", views.candidate_interview, name="candidate-interview"),
    path("candidates/<int:pk>/verify/", views.candidate_verify, name="candidate-verify"),
]

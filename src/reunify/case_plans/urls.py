from django.urls import path

from reunify.case_plans import views

app_name = "case_plans"
urlpatterns = [
    path("episodes/<int:pk>/", views.record, name="record"),
    path("cases/<int:pk>/", views.plan, name="plan"),
    path("cases/<int:pk>/start/", views.start, name="start"),
    path("cases/<int:pk>/goal/", views.goal, name="goal"),
    path("cases/<int:pk>/condition/", views.condition, name="condition"),
    path("cases/<int:pk>/task/", views.task, name="task"),
    path("cases/<int:pk>/need/", views.need, name="need"),
    path("cases/<int:pk>/youth/", views.youth, name="youth"),
    path("cases/<int:pk>/efforts/", views.efforts, name="efforts"),
    path("cases/<int:pk>/remove/", views.remove, name="remove"),
    path("cases/<int:pk>/meeting/", views.meeting, name="meeting"),
    path("cases/<int:pk>/finalize/", views.finalize, name="finalize"),
    path("cases/<int:pk>/sign/", views.sign, name="sign"),
    path("cases/<int:pk>/progress/", views.progress, name="progress"),
    path("cases/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("cases/<int:pk>/versions/", views.versions, name="versions"),
    path("cases/<int:pk>/compare/", views.compare, name="compare"),
    path("cases/<int:pk>/plan.pdf", views.plan_pdf, name="pdf"),
]

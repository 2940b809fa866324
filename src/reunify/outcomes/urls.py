from django.urls import path

from reunify.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.child_list, name="child-list"),
    path("compliance/", views.compliance_children, name="compliance-children"),
    path("export/", views.export, name="export"),
]

from django.urls import path

from reunify.assessments import views
from reunify.assessments.display import ASKS, RECORD, WORDING

app_name = "assessments"
urlpatterns = [
    path("cases/<int:pk>/", views.case_assessments, name="case-assessments"),
    path("cases/<int:pk>/change/", views.change_scores, name="change"),
    *[
        path(f"cases/<int:pk>/record/{slug}/", views.record, {"key": key}, name=name)
        for key, (slug, name) in RECORD.items()
    ],
    *[
        path(
            f"cases/<int:pk>/record/{RECORD[key][0]}/sections/",
            views.record_sections,
            {"key": key},
            name=name,
        )
        for key, name in ASKS.items()
    ],
    path("responses/<int:pk>/", views.response_detail, name="response-detail"),
    path("conditions/<int:pk>/review/", views.condition_review, name="condition-review"),
    path("children/<int:pk>/readiness/", views.readiness, name="readiness"),
    path("wording/", views.wording_list, name="wording"),
    *[
        path(f"wording/{slug}/", views.wording_edit, {"key": key}, name=name)
        for key, (slug, name) in WORDING.items()
    ],
]

from django.urls import path

from reunify.road_home import views

app_name = "road_home"
urlpatterns = [
    path("cases/<int:pk>/", views.case_road_home, name="case"),
    path("episodes/<int:pk>/thv/new/", views.thv_new, name="thv-new"),
    path("thv/<int:pk>/", views.thv_detail, name="thv"),
    path("thv/<int:pk>/adults/", views.thv_adult, name="thv-adult"),
    path("thv/<int:pk>/adults/check/", views.thv_adult_check, name="thv-adult-check"),
    path("household-adults/<int:pk>/edit/", views.thv_adult_edit, name="thv-adult-edit"),
    path("household-adults/<int:pk>/remove/", views.thv_adult_remove, name="thv-adult-remove"),
    path("thv/<int:pk>/visits/", views.thv_visit, name="thv-visit"),
    path("thv/<int:pk>/crisis-plan/", views.thv_crisis, name="thv-crisis"),
    path("thv/<int:pk>/start/", views.thv_start, name="thv-start"),
    path("thv/<int:pk>/end/", views.thv_end, name="thv-end"),
    path("cases/<int:pk>/safety-plans/new/", views.safety_plan_new, name="safety-plan-new"),
    path("safety-plans/<int:pk>/", views.safety_plan_detail, name="safety-plan"),
    path("safety-plans/<int:pk>/actions/", views.safety_action, name="safety-action"),
    path("safety-actions/<int:pk>/edit/", views.safety_action_edit, name="safety-action-edit"),
    path(
        "safety-actions/<int:pk>/remove/", views.safety_action_remove, name="safety-action-remove"
    ),
    path("safety-plans/<int:pk>/close/", views.safety_plan_close, name="safety-plan-close"),
    path("cases/<int:pk>/aftercare/new/", views.aftercare_new, name="aftercare-new"),
    path("aftercare/<int:pk>/", views.aftercare_detail, name="aftercare"),
    path("aftercare/<int:pk>/contacts/", views.aftercare_contact, name="aftercare-contact"),
    path("cases/<int:pk>/closure/", views.closure, name="closure"),
    path("closure/<int:pk>/decide/", views.closure_decide, name="closure-decide"),
]

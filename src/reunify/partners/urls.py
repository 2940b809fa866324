from django.urls import path

from reunify.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.mentor_list, name="mentor-list"),
    path("mentors/new/", views.mentor_new, name="mentor-new"),
    path("mentors/<int:pk>/", views.mentor_edit, name="mentor-edit"),
    path("cases/<int:pk>/", views.case_partners, name="case-partners"),
    path("cases/<int:pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/offer/", views.offer, name="offer"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/consent/", views.consent, name="consent"),
    path("<int:pk>/consent/revoke/", views.consent_revoke, name="consent-revoke"),
    path("<int:pk>/match/", views.match, name="match"),
    path("<int:pk>/close/", views.close, name="close"),
]

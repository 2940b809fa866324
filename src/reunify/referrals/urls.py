from django.urls import path

from reunify.referrals import views

app_name = "referrals"
urlpatterns = [
    path("cases/<int:pk>/", views.case_referrals, name="case-referrals"),
    path("new/", views.referral_new, name="referral-new"),
    path("<int:pk>/", views.referral_detail, name="referral-detail"),
    path("<int:pk>/consent/", views.consent, name="consent"),
    path("<int:pk>/consent/revoke/", views.consent_revoke, name="consent-revoke"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/not-complete/", views.not_complete, name="not-complete"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/barriers/", views.barrier_add, name="barrier-add"),
    path("<int:pk>/barriers/resolve/", views.barrier_resolve, name="barrier-resolve"),
    path("barriers/", views.barriers, name="barriers"),
    path("p/<slug:token>/", views.provider, name="provider"),
]

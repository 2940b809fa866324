from django.conf.urls.i18n import i18n_patterns
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("reunify/favicon.svg"), permanent=True),
        name="favicon",
    ),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("reunify.accounts.urls")),
    path("people/", include("reunify.people.urls")),
    path("court/", include("reunify.court.urls")),
    path("due/", include("reunify.clocks.urls")),
    path("case-plans/", include("reunify.case_plans.urls")),
    path("contacts/", include("reunify.contacts.urls")),
    path("family-time/", include("reunify.family_time.urls")),
    path("reminders/", include("reunify.reminders.urls")),
    path("services/", include("reunify.services.urls")),
    path("referrals/", include("reunify.referrals.urls")),
    path("assessments/", include("reunify.assessments.urls")),
    path("road-home/", include("reunify.road_home.urls")),
    path("portal/", include("reunify.portal.urls")),
    path("messages/", include("reunify.messaging.urls")),
    path("partners/", include("reunify.partners.urls")),
    path("outcomes/", include("reunify.outcomes.urls")),
    path("tracing/", include("reunify.tracing.urls")),
    path("", include("reunify.cases.urls")),
    prefix_default_language=False,
)

from django.urls import path

from reunify.messaging import views as messaging_views
from reunify.partners import portal_views as partner_views
from reunify.portal import parent_views, resource_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("join/<str:token>/", views.join, name="join"),
    path("staff/cases/<int:pk>/invite/", views.invite, name="invite"),
    path(
        "staff/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
]

# The birth-parent and youth pages (portal/parent_views.py).
urlpatterns += [
    path("cases/<int:pk>/", parent_views.road_home, name="road-home"),
    path("cases/<int:pk>/family-time/", parent_views.family_time, name="family-time"),
    path(
        "cases/<int:pk>/family-time/<int:session_pk>/answer/",
        parent_views.session_answer,
        name="session-answer",
    ),
    path("cases/<int:pk>/court-dates/", parent_views.court_dates, name="court-dates"),
    path("cases/<int:pk>/tasks/", parent_views.tasks, name="tasks"),
    path("cases/<int:pk>/case-plan/", parent_views.case_plan, name="case-plan"),
    path("cases/<int:pk>/case-plan/pdf/", parent_views.case_plan_pdf, name="case-plan-pdf"),
    path("cases/<int:pk>/documents/", parent_views.documents_list, name="documents"),
    path(
        "cases/<int:pk>/documents/<int:document_pk>/",
        parent_views.document_download,
        name="document-download",
    ),
    path("calendar/", parent_views.calendar, name="calendar"),
    path("calendar/<int:token_pk>/revoke/", parent_views.calendar_revoke, name="calendar-revoke"),
    path("calendar/<slug:token>.ics", parent_views.calendar_feed, name="calendar-feed"),
    path("staff/cases/<int:pk>/documents/", parent_views.staff_documents, name="staff-documents"),
    path(
        "staff/documents/<int:pk>/withdraw/",
        parent_views.staff_document_withdraw,
        name="staff-document-withdraw",
    ),
]

# Messages with the worker (reunify.messaging; the family pages live in this namespace).
urlpatterns += [
    path("messages/", messaging_views.my_messages, name="messages"),
    path("messages/new/", messaging_views.family_thread_new, name="messages-new"),
    path("messages/<int:pk>/", messaging_views.family_thread, name="messages-thread"),
    path("messages/<int:pk>/reply/", messaging_views.family_reply, name="messages-reply"),
    path(
        "messages/attachments/<int:pk>/",
        messaging_views.family_attachment,
        name="messages-attachment",
    ),
]

# The resource family's pages and the shared-parenting journal (portal/resource_views.py).
urlpatterns += [
    path(
        "resource/cases/<int:pk>/children/<int:child_pk>/",
        resource_views.resource_child,
        name="resource-child",
    ),
    path("journal/our-name/", resource_views.journal_identity, name="journal-identity"),
    path("cases/<int:pk>/journal/", resource_views.journal_children, name="journal-children"),
    path(
        "cases/<int:pk>/children/<int:child_pk>/journal/",
        resource_views.journal_page,
        name="journal",
    ),
    path(
        "cases/<int:pk>/children/<int:child_pk>/journal/<int:entry_pk>/photo/",
        resource_views.journal_photo,
        name="journal-photo",
    ),
    path("staff/cases/<int:pk>/journal/", resource_views.staff_journal, name="staff-journal"),
    path(
        "staff/journal/<int:pk>/hide/", resource_views.staff_journal_hide, name="staff-journal-hide"
    ),
    path(
        "staff/journal/<int:pk>/photo/",
        resource_views.staff_journal_photo,
        name="staff-journal-photo",
    ),
]

# The parent partner's pages (reunify.partners; the mentor's pages live in this namespace).
urlpatterns += [
    path("partner/", partner_views.partner_home, name="partner-home"),
    path("partner/parents/<int:pk>/", partner_views.partner_parent, name="partner-parent"),
    path(
        "partner/parents/<int:pk>/contacts/",
        partner_views.partner_contact,
        name="partner-contact",
    ),
    path("partner/activity/", partner_views.partner_activity, name="partner-activity"),
    path("partner/join/<str:token>/", partner_views.partner_join, name="partner-join"),
]

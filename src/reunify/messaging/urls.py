from django.urls import path

from reunify.messaging import views

app_name = "messaging"
urlpatterns = [
    path("cases/<int:pk>/", views.case_threads, name="case-threads"),
    path("cases/<int:pk>/new/", views.thread_new, name="thread-new"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/reply/", views.thread_reply, name="reply"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("units/<int:pk>/response-times/", views.unit_response_times, name="unit-response-times"),
]

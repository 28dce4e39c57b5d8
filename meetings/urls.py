from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import attendance, views

app_name = "meetings"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("meetings/<slug:slug>/"), views.detail, name="detail"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("meetings/<slug:slug>/calendar.ics"), views.meeting_ics, name="meeting_ics"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("calendar.ics"), views.feed_ics, name="feed_ics"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("privacy/"), views.privacy, name="privacy"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("questions/"), views.faq, name="faq"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("meetings/<slug:slug>/i-plan-to-go/"), attendance.plan_to_go, name="plan_to_go"),
]

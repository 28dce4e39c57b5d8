from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("meetings/<slug:slug>/"), views.detail, name="detail"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("privacy/"), views.privacy, name="privacy"),
]

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "reminders"

urlpatterns = [
    # The short link in every SMS (a long address would cost a whole extra SMS part).
    path("m/<int:pk>", views.short_link, name="short"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("meetings/<slug:slug>/remind/"), views.subscribe, name="subscribe"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("remind/check-your-email/"), views.email_sent, name="email_sent"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("remind/code/"), views.enter_code, name="enter_code"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("remind/confirm/<str:token>/"), views.confirm_email, name="confirm_email"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("remind/done/"), views.confirmed, name="confirmed"),
    # Translators: part of a web address; lowercase ASCII letters and hyphens only.
    path(_("remind/stop/<str:token>/"), views.unsubscribe, name="unsubscribe"),
    # The Spanish address in links sent before it said "cancelar" ("detener" reads as arrest).
    path(
        "recordatorios/detener/<str:token>/",
        views.unsubscribe_old_address,
        name="unsubscribe_old_address",
    ),
]

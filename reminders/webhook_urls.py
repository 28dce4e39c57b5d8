"""Addresses Twilio calls: outside the language prefixes, never translated or redirected."""

from django.urls import path

from . import webhooks

app_name = "twilio"

urlpatterns = [
    path("sms", webhooks.inbound_sms, name="inbound_sms"),
    path("status", webhooks.delivery_status, name="status"),
]

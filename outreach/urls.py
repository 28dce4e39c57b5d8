from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from meetings.views import favicon
from outreach.health import healthz

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    # For load balancers and compose: no language prefix, never redirected or cached.
    path("healthz", healthz, name="healthz"),
    # Browsers ask for it by themselves, without a language prefix.
    path("favicon.ico", favicon, name="favicon"),
    # Twilio's signed webhooks (inbound texts, delivery status): fixed, untranslated addresses.
    path("twilio/", include("reminders.webhook_urls")),
]

# Every public page carries its language in the address: /es/… and /en/…; "/" is sent to
# the one the browser prefers by LocaleMiddleware.
urlpatterns += i18n_patterns(
    path("", include("meetings.urls")),
    path("", include("reminders.urls")),
    prefix_default_language=True,
)

handler400 = "outreach.errors.bad_request"
handler404 = "meetings.views.not_found"
handler500 = "meetings.views.server_error"

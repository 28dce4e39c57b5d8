from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
]

# Every public page carries its language in the address: /es/… and /en/…; "/" is sent to
# the one the browser prefers by LocaleMiddleware.
urlpatterns += i18n_patterns(
    path("", include("meetings.urls")),
    prefix_default_language=True,
)

handler404 = "meetings.views.not_found"

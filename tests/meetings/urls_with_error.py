"""The real URLs plus one page that fails, to see the 500 page a resident would get."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from outreach.urls import handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*urlpatterns, *i18n_patterns(path("boom/", boom))]

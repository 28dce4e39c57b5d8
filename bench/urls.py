"""The site's URLs plus `/bench/floor`, the fastest page Django can serve (bench only)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from outreach.urls import handler404, handler500  # noqa: F401  (same error pages)
from outreach.urls import urlpatterns as site_urlpatterns

FLOOR_PATH = "bench/floor"


def floor(request: HttpRequest) -> HttpResponse:
    """A short string: no template, no database, no cache; the middleware stack still runs."""
    return HttpResponse("floor", content_type="text/plain")


urlpatterns = [path(FLOOR_PATH, floor, name="bench_floor"), *site_urlpatterns]

"""A test-only page with a form, to prove cached pages give each visitor their own CSRF token."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import path

from outreach.pagecache import cache_public_page

FORM = engines["django"].from_string(
    '<form method="post" action="/signup">{% csrf_token %}<button>Send</button></form>'
)


@cache_public_page
def form_page(request: HttpRequest) -> HttpResponse:
    # What the csrf context processor gives a template, without this test needing the site's.
    return HttpResponse(FORM.render({"csrf_token": get_token(request)}))


def signup(request: HttpRequest) -> HttpResponse:
    return HttpResponse("thanks")


# Under a language prefix like every public page: the cache keys a page by its path, so it
# keeps no page whose language came from the browser (Vary: Accept-Language).
urlpatterns = [path("signup", signup), *i18n_patterns(path("form", form_page))]

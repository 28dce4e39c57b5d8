from django.conf import settings
from django.urls import translate_url


def site(request) -> dict:
    """The other language's address of this very page, for the switch and hreflang links."""
    path = request.get_full_path()
    alternates = [(code, name, translate_url(path, code)) for code, name in settings.LANGUAGES]
    return {"language_alternates": alternates, "SITE_URL": settings.SITE_URL}

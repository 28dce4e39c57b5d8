"""The vanilla floor: a one-file Django project, the fastest page a bare Django serves.

`make bench` runs it beside the site, on the same gunicorn settings (gunicorn.conf.py: 2 sync
workers) and the same Django, and divides every page's rate by its rate. It has startproject's
default apps and middleware and one view returning a short string; it shares nothing with the
site (no settings, no database, no cache) and the site never imports it: gunicorn loads it
from this folder (`--chdir bench/vanilla floor:application`).
"""

import os
import secrets

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("FLOOR_SECRET_KEY") or secrets.token_urlsafe(50),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    # startproject's defaults (Django 6.1), unchanged.
    INSTALLED_APPS=[
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
    ],
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [],
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ],
            },
        },
    ],
    # Never opened: the floor view touches no database.
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    USE_TZ=True,
    STATIC_URL="static/",
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
)


def floor(request: HttpRequest) -> HttpResponse:
    """A short string: no template, no database, no cache."""
    return HttpResponse("floor", content_type="text/plain")


urlpatterns = [path("floor", floor)]
PATH = "/floor"

application = get_wsgi_application()

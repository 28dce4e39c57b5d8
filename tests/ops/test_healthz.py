"""An operator's load balancer asks /healthz whether this instance can serve residents."""

import json
import socket

import pytest


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


@pytest.mark.django_db
def test_healthy_instance_answers_ok_with_every_check(client):
    response, body = health(client)
    assert response.status_code == 200
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
        "dispatcher": {"state": "unknown", "last_run_seconds_ago": None},
    }
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_health_is_never_cached_nor_sent_to_a_language(client):
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert response.status_code == 200  # not a redirect to /es/healthz
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_unreachable_broker_makes_the_instance_unhealthy(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response, body = health(client)
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["broker"] == "error"
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_unreachable_cache_makes_the_instance_unhealthy(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    response, body = health(client)
    assert response.status_code == 503
    assert body["checks"]["cache"] == "error"
    assert body["checks"]["database"] == "ok"


def test_unusable_database_makes_the_instance_unhealthy(client, settings):
    # No database access is allowed in this test (pytest-django blocks it): to /healthz
    # that is a database that refuses every query. The cache moves to process memory so
    # that only the database fails (locally it is a database table).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    response, body = health(client)
    assert response.status_code == 503
    assert body == {
        "status": "error",
        "checks": {"database": "error", "cache": "ok", "broker": body["checks"]["broker"]},
        "dispatcher": {"state": "unknown", "last_run_seconds_ago": None},
    }


@pytest.mark.django_db
def test_health_answer_holds_no_detail_beyond_ok_or_error(client, settings):
    settings.CELERY_BROKER_URL = f"redis://:s3cret@127.0.0.1:{closed_port()}/0"
    response, _body = health(client)
    text = response.content.decode()
    assert "s3cret" not in text
    assert "127.0.0.1" not in text


@pytest.mark.django_db
def test_the_database_probe_gives_up_on_a_hung_postgresql(monkeypatch):
    """A server that accepts and never answers: the probe fails within its connect timeout
    instead of waiting as long as the server hangs (the operator's audit)."""
    from django.db import connection

    from outreach import health

    if connection.vendor != "postgresql":
        pytest.skip("the bounded probe is PostgreSQL's (SQLite is a local file)")
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(8)
    from django.db import connections

    monkeypatch.setitem(connections.settings["default"], "HOST", "127.0.0.1")
    monkeypatch.setitem(connections.settings["default"], "PORT", hung.getsockname()[1])
    try:
        with pytest.raises(Exception):  # noqa: B017, PT011 (psycopg2's timeout error)
            health.check_database()
    finally:
        hung.close()

"""An operator runs `docker compose up`: the files say what starts, in what order, how healthy.

There is no Docker engine here, so the compose file is read as YAML; the commands it names are
run for real by test_smoke.py.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.ops.stack import APP_SERVICES, COMPOSE, DOCKERFILE, ENV_EXAMPLE, ROOT, compose

SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|KEY|SID", re.IGNORECASE)
INTERPOLATION = re.compile(r"^\$\{[A-Z_]+(:?[-?][^}]*)?\}$")


def services() -> dict:
    return compose()["services"]


def test_the_stack_has_database_redis_migration_web_worker_and_beat():
    assert set(services()) == {"db", "redis", "migrate", "web", "worker", "beat"}


def test_database_and_redis_report_their_health_and_keep_their_data():
    db, redis = services()["db"], services()["redis"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert redis["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert "pgdata:/var/lib/postgresql/data" in db["volumes"]
    assert {"pgdata", "redisdata"} <= set(compose()["volumes"])


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_wait_for_healthy_dependencies_and_the_migration(name):
    depends = services()[name]["depends_on"]
    assert depends["db"] == {"condition": "service_healthy"}
    assert depends["redis"] == {"condition": "service_healthy"}
    assert depends["migrate"] == {"condition": "service_completed_successfully"}


def test_migration_runs_once_before_the_rest():
    migrate = services()["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"] == {"condition": "service_healthy"}


def test_web_is_gunicorn_and_its_health_check_asks_healthz():
    web = services()["web"]
    assert web["command"][0] == "gunicorn"
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def test_worker_and_beat_run_celery_on_the_project():
    assert services()["worker"]["command"][:4] == ["celery", "-A", "outreach", "worker"]
    assert services()["beat"]["command"][:4] == ["celery", "-A", "outreach", "beat"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_the_production_settings_from_the_environment(name):
    service = services()[name]
    assert service["environment"]["OUTREACH_ENV"] == "production"
    assert service["env_file"] == ".env"
    assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert "@db:5432/" in service["environment"]["DATABASE_URL"]


def strings(node, key=""):
    """Every (key, string) pair in the YAML tree."""
    if isinstance(node, dict):
        for child_key, value in node.items():
            yield from strings(value, str(child_key))
    elif isinstance(node, list):
        for value in node:
            yield from strings(value, key)
    elif isinstance(node, str):
        yield key, node


def test_no_secret_is_written_in_the_compose_file():
    for key, value in strings(compose()):
        if SECRET_NAME.search(key):
            assert INTERPOLATION.match(value), f"{key} must come from the environment"
        for password in re.findall(r"://[^:/@\s]+:([^@\s]+)@", value):
            assert INTERPOLATION.match(password), f"a literal password in {value!r}"


def settings_variables() -> set[str]:
    """Names settings.py and gunicorn.conf.py read from the environment."""
    sources = (ROOT / "outreach" / "settings.py").read_text()
    sources += (ROOT / "gunicorn.conf.py").read_text()
    pattern = r'env(?:_[a-z]+)?\(\s*"([A-Z_]+)"|os\.environ\.get\("([A-Z_]+)"'
    return {a or b for a, b in re.findall(pattern, sources)}


def example_variables() -> set[str]:
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.MULTILINE))


def test_env_example_documents_what_production_requires():
    settings = (ROOT / "outreach" / "settings.py").read_text()
    required = set(re.findall(r'env\("([A-Z_]+)"[^)]*required_in_production=True', settings))
    required |= {"ALLOWED_HOSTS", "CONTACT_KEYS", "CONTACT_DIGEST_KEY"}
    assert required <= example_variables()
    interpolated = set(re.findall(r"\$\{([A-Z_]+)", COMPOSE.read_text()))
    assert interpolated <= example_variables()


def test_env_example_names_only_variables_something_reads():
    known = settings_variables() | set(re.findall(r"\$\{([A-Z_]+)", COMPOSE.read_text()))
    assert example_variables() - known == set()


def dockerfile() -> str:
    return DOCKERFILE.read_text()


def test_image_is_slim_python_running_as_a_user_without_privileges():
    text = dockerfile()
    assert re.search(r"^FROM python:3\.12-slim$", text, re.MULTILINE)
    users = re.findall(r"^USER (\S+)$", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert text.index(f"USER {users[-1]}") < text.index("CMD ")


def test_image_runs_production_without_debug_and_starts_what_compose_starts():
    text = dockerfile()
    assert "OUTREACH_ENV=production" in text
    assert "DEBUG=false" in text
    assert not re.search(r"DEBUG=(1|true|yes|on)", text, re.IGNORECASE)
    cmd = re.search(r"^CMD (\[.*\])$", text, re.MULTILINE).group(1)
    assert json.loads(cmd) == services()["web"]["command"]


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "data/", ".git"} <= set(ignored)


def build_step_environment() -> dict[str, str]:
    """The placeholder variables the Dockerfile gives its collectstatic step."""
    step = re.search(r"&& (SECRET_KEY=.*?)python manage\.py collectstatic", dockerfile(), re.S)
    pairs = re.findall(r"([A-Z_]+)=(\S+)", step.group(1).replace("\\\n", " "))
    return dict(pairs)


def test_the_image_build_step_collects_static_files_with_production_settings(tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "LOG_FORMAT"):
        environment.pop(name, None)
    environment |= build_step_environment()
    environment |= {
        "OUTREACH_ENV": "production",
        "DEBUG": "false",
        "DATA_DIR": str(tmp_path / "data"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert (ROOT / "locale" / "es" / "LC_MESSAGES" / "django.mo").stat().st_size > 0


def test_web_is_published_only_on_the_hosts_loopback_for_the_proxy_in_front():
    """Reachable from anywhere, gunicorn would take anyone's X-Forwarded-For for the truth."""
    (port,) = services()["web"]["ports"]
    assert port.startswith("127.0.0.1:")
    assert "TRUSTED_PROXIES" in services()["web"]["environment"]

# The production image: gunicorn for the web, the same image for the Celery worker and beat.
# Configuration comes from the environment at run time (see .env.example); nothing secret is
# baked in. Build: docker build -t outreach .
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OUTREACH_ENV=production \
    DEBUG=false \
    DATA_DIR=/app/data \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

RUN groupadd --system outreach \
    && useradd --system --gid outreach --home-dir /app --no-create-home outreach

# Dependencies first (read from pyproject.toml), so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

# The project itself, installed in place: templates, locale and static stay beside the code.
COPY . .
RUN pip install --no-deps --editable .

# Static files with hashed names (whitenoise's manifest, which production requires), and the
# Spanish translations compiled from the committed .po (no gettext needed). The settings need
# production's variables to load: placeholders for this build step only, never kept in the image.
RUN python manage.py compile_translations \
    && test -s locale/es/LC_MESSAGES/django.mo \
    && SECRET_KEY=build-only ALLOWED_HOSTS=localhost SITE_URL=https://localhost \
       DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://localhost:6379/0 \
       CONTACT_KEYS=build-only CONTACT_DIGEST_KEY=build-only EMAIL_HOST=build-only \
       TWILIO_ACCOUNT_SID=build-only TWILIO_AUTH_TOKEN=build-only TWILIO_FROM_NUMBER=build-only \
       python manage.py collectstatic --noinput \
    && mkdir -p /app/data \
    && chown -R outreach:outreach /app/data

USER outreach

EXPOSE 8000
# A slim image has no curl: ask /healthz with Python (a 503 raises, so the check fails).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "outreach.wsgi:application", "--config", "gunicorn.conf.py"]

"""gunicorn settings (read from the working directory: the Dockerfile's and compose's command).

The environment decides: GUNICORN_BIND (default 0.0.0.0:8000), WEB_CONCURRENCY (workers,
default 2), and the log format as in outreach/settings.py (JSON lines in production).
gunicorn's access log stays off: Django's RequestLogMiddleware writes one line per request,
without the query string; an access log would repeat it with the query string.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 30
graceful_timeout = 20
accesslog = None
# gunicorn 25+'s control socket lives in $HOME, which the image's user cannot write; unused.
control_socket_disable = True

_production = os.environ.get("OUTREACH_ENV", "").strip().lower() == "production"
if os.environ.get("LOG_FORMAT", "json" if _production else "plain") == "json":
    # gunicorn's own lines (start, worker exits) as JSON too, so collectors parse every line.
    # Any log config switches gunicorn's access log on: keep it off (it has the query string).
    logconfig_dict = {
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
        "formatters": {
            "generic": {
                "()": "outreach.logs.JsonFormatter",  # UTC times, as Django's lines
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
    }


def worker_exit(server, worker):
    """The page cache's last hit counts of this worker (outreach/logs.py), before it goes."""
    from outreach.logs import hits

    hits.flush()

"""Settings for `make bench` only: the real settings, with URLs that add the floor view.

Selected by bench/stack.py through DJANGO_SETTINGS_MODULE=bench.settings; production never
imports this module, so the floor view never exists there.
"""

from outreach.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

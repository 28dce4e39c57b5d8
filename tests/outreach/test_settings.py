"""Settings this project adds read the environment strictly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


def keep_rendered(value: str, tmp_path: Path) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "KEEP_RENDERED": value,
        "DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "outreach.settings",
    }
    code = "from django.conf import settings; print(settings.KEEP_RENDERED)"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=environment,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("value", "meaning"), [("", "all"), ("pieces", "pieces"), ("false", "none"), ("TRUE", "all")]
)
def test_keep_rendered_reads_its_three_values(value, meaning, tmp_path):
    assert keep_rendered(value, tmp_path).stdout.strip() == meaning


def test_an_unknown_keep_rendered_value_stops_start_up(tmp_path):
    result = keep_rendered("sometimes", tmp_path)
    assert result.returncode != 0
    assert "KEEP_RENDERED must be all, pieces or none." in result.stderr


def test_templates_are_read_and_compiled_once_per_process_pages_and_form_widgets_alike():
    """Django's cached template loader, on in every environment (no `loaders` option set, so
    Django's default applies whatever DEBUG says): a render never re-reads a template file."""
    from django.forms.renderers import get_default_renderer
    from django.template import engines

    cached = "django.template.loaders.cached.Loader"
    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    assert engines["django"].engine.loaders[0][0] == cached
    assert get_default_renderer().engine.engine.loaders[0][0] == cached

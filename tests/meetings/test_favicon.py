"""A first visit asks for no missing file: the site's icon is linked and /favicon.ico answers."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/es/", "/en/"])
def test_every_page_links_the_site_icon(client, url):
    html = client.get(url).content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in html


def test_a_browser_asking_for_favicon_ico_is_sent_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
    icon = client.get(response["Location"])  # WhiteNoise serves it (finders, outside production)
    icon.close()  # a file response: let go of the file
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")


def test_the_icon_is_a_small_svg_with_nothing_that_runs():
    svg = Path(finders.find("img/favicon.svg")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and len(svg) < 1024
    assert "<script" not in svg and "href" not in svg

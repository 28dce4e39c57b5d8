from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """The project package as an app, for wiring that spans apps (page cache invalidation)."""

    name = "outreach"
    verbose_name = "Outreach"

    def ready(self) -> None:
        from outreach import pagecache

        pagecache.connect_signals()

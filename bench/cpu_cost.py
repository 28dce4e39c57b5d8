"""Server CPU time per request: the floor view and each page, page cache on and off.

Measured in this process (the same settings, database and Redis as the gunicorn workers)
through Django's full middleware stack, with `time.process_time`, so the figures hold on a
busy machine where wrk's requests per second do not: on a CPU-bound server, floor CPU / page
CPU is the best ratio of requests per second the page can reach.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

REPEAT = int(os.environ.get("BENCH_CPU_REPEAT", "200"))


@contextmanager
def logs_to_devnull() -> Iterator[None]:
    """Keep the request log's cost (it is part of every request) but not its output."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    with open(os.devnull, "w") as devnull:
        previous = [h.setStream(devnull) for h in handlers]
        try:
            yield
        finally:
            for handler, stream in zip(handlers, previous, strict=True):
                handler.setStream(stream)


def cpu_ms(path: str, repeat: int) -> float:
    """Mean CPU milliseconds of a first visit (no cookies) to `path`, after a warm-up."""
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="es", HTTP_HOST="127.0.0.1")
    for _ in range(5):
        assert client.get(path).status_code == 200, path
    started = time.process_time()
    for _ in range(repeat):
        client.cookies.clear()
        client.get(path)
    return (time.process_time() - started) * 1000 / repeat


def run(pages: dict[str, str], floor_path: str) -> list[str]:
    """Printed lines: CPU ms per request and floor/page, with the page cache on and off."""
    from django.test import override_settings

    targets = {"floor (bare view)": floor_path, **pages}
    lines = [f"Server CPU per request (in-process, mean of {REPEAT}), ms; floor/page:"]
    with logs_to_devnull():
        for seconds, label in ((300, "cache on"), (0, "cache off")):
            with override_settings(PAGE_CACHE_SECONDS=seconds):
                costs = {
                    name: cpu_ms(path, REPEAT if seconds else REPEAT // 4)
                    for name, path in targets.items()
                }
            floor = costs["floor (bare view)"]
            lines += [
                f"  {label:<10} {name:<20} {ms:7.2f}  {floor / ms:5.2f}"
                for name, ms in costs.items()
            ]
    for line in lines:
        print(line, flush=True)
    return lines

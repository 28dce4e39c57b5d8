"""The production stack as files (compose, Dockerfile, .env.example) and as real processes.

Tests read the compose file to learn the exact commands its services run, and the smoke test
starts those same commands outside Docker (no engine here) against local PostgreSQL and Redis.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
APP_SERVICES = ("migrate", "web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def service_command(name: str) -> list[str]:
    """The command a compose service runs, as a list of arguments."""
    command = compose()["services"][name]["command"]
    return command if isinstance(command, list) else command.split()


def local_command(name: str) -> list[str]:
    """The compose command of a service, run with this virtualenv's executables."""
    command = service_command(name)
    program = command[0]
    if program == "python":
        return [sys.executable, *command[1:]]
    return [str(Path(sys.executable).with_name(program)), *command[1:]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    """Processes started from the compose commands; stopping ends exactly those we started."""

    env: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def run(self, name: str, timeout: float = 120) -> None:
        """Run a one-shot service (migrate) to completion; raise with its log if it fails."""
        log = self.logs / f"{name}.log"
        with log.open("w") as out:
            result = subprocess.run(
                local_command(name),
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        if result.returncode:
            raise RuntimeError(f"{name} failed:\n{log.read_text()[-3000:]}")

    def start(self, name: str) -> None:
        # The child keeps its own copy of the log file; ours closes at once.
        with (self.logs / f"{name}.log").open("w") as out:
            # A session of its own, so stopping it also stops the workers it forks.
            self.processes[name] = subprocess.Popen(
                local_command(name),
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()

    def alive(self, name: str) -> bool:
        return self.processes[name].poll() is None

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def get_json(url: str, timeout: float = 5) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local URL)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_until(condition, timeout: float, what: str, interval: float = 0.5) -> None:
    """Poll until condition() is true; fail with `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass  # not listening yet
        time.sleep(interval)
    raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f} s")

"""Running the notice pipeline on real services, for the tests and benchmarks/notices.py: a real
`celery worker` process on a real Redis, against the same database as the caller.

Not used by the application itself.
"""

from __future__ import annotations

import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import kombu.pools
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The caller's database (under pytest: the test database) as a DATABASE_URL."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    host = f"{auth}@" if auth else ""
    return f"postgres://{host}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not there"
        return False


class PrivateRedis:
    """A throw-away redis-server on its own port, without persistence, that can be stopped and
    started again on the same port (the broker going down and coming back)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not redis_answers(self.url):
            if time.monotonic() > deadline:
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class CeleryWorker:
    """`celery -A village worker` in its own process, on `redis_url`, with the caller's
    database, writing e-mails as files into `mail_dir`."""

    def __init__(self, redis_url: str, mail_dir: Path, *, env: dict | None = None, concurrency: int = 1):
        self.redis_url = redis_url
        self.mail_dir = Path(mail_dir)
        self.extra_env = env or {}
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.log = self.mail_dir.parent / f"worker-{os.getpid()}-{id(self)}.log"

    def start(self, timeout: float = 60) -> None:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "village.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.redis_url,
            # django-environ drops one leading slash of the path: four slashes keep it absolute.
            "EMAIL_URL": f"filemail:///{self.mail_dir.resolve()}",
            **self.extra_env,
        }
        pool = (
            ["--pool=solo"]
            if self.concurrency == 1
            else ["--pool=prefork", f"--concurrency={self.concurrency}"]
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "village",
                "worker",
                *pool,
                "-l",
                os.environ.get("VILLAGE_TEST_WORKER_LOGLEVEL", "warning"),
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"notices-{os.getpid()}-{id(self)}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 60) -> None:
        from village.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the celery worker exited: {self.log.read_text()[-2000:]}")
            with contextlib.suppress(Exception):
                if app.control.ping(timeout=0.5):
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the celery worker did not answer: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None


@contextlib.contextmanager
def celery_through(redis_url: str):
    """Send this process's tasks to `redis_url` instead of running them eagerly."""
    from village.celery import app

    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    app._after_fork()  # forget pools built for the old broker
    _reset_backend(app)
    try:
        yield app
    finally:
        # Close the pools and forget them: kombu keeps them in a registry keyed by the broker URL,
        # and would hand the closed pool to the next test that uses the same URL.
        kombu.pools.reset()
        app.conf.update(**saved)
        app._after_fork()
        _reset_backend(app)


def _reset_backend(app) -> None:
    with contextlib.suppress(AttributeError):
        app._local.__dict__.pop("backend", None)


def read_mails(mail_dir: Path) -> list[email.message.Message]:
    """Every e-mail Django's file backend wrote into `mail_dir`."""
    messages = []
    for path in sorted(Path(mail_dir).glob("*.log")):
        for part in path.read_bytes().split(b"-" * 79 + b"\n"):
            if part.strip():
                messages.append(email.message_from_bytes(part.strip(b"\n") + b"\n"))
    return messages


def wait_until(predicate, *, timeout: float = 30, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")

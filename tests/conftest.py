"""Fixtures every test can use: files in a temporary media folder, tasks run at once, fast password hashing, users
and a logged-in client."""

import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.builders import make_user

TEST_ENCRYPTION_KEY = "dGVzdC1rZXktZm9yLXBhcm9sZS13aXphcmQtdGVzdHM="  # noqa: S105 - a test key


@pytest.fixture(autouse=True)
def _isolated_media_immediate_tasks_fast_hashing(settings: Any, tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    # The default storage is configured with an explicit location, so MEDIA_ROOT alone would not move it.
    storages = {name: dict(config) for name, config in settings.STORAGES.items()}
    if storages["default"]["BACKEND"].endswith("FileSystemStorage"):
        storages["default"]["OPTIONS"] = {"location": str(media)}
    settings.STORAGES = storages
    # A fixed key (packets.crypto), so tests never depend on SECRET_KEY or the environment.
    settings.ENCRYPTION_KEYS = [TEST_ENCRYPTION_KEY]
    # Tests create many users; the production hasher's deliberate slowness only costs time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Links in emails point at the test client's host, so a test can follow them.
    settings.SITE_URL = "http://testserver"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]},
    }


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # allauth counts requests per address in the cache (e.g. 30 logins a minute): every test starts from none.
    cache.clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses a module's rendered packet (``render_once``, tests/assembly/conftest.py) uses the database.

    pytest-django sets up the test database only when a collected test is marked as using it; a module whose tests
    only read a packet its module-scoped fixture rendered would otherwise, run on its own, render through the
    development database (``var/db.sqlite3``).
    """
    for item in items:
        if "render_once" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture
def user(db: None) -> Any:
    return make_user("ana")


@pytest.fixture
def other_user(db: None) -> Any:
    return make_user("ben", password="another correct horse")


@pytest.fixture
def logged_in_client(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture(scope="session", autouse=True)
def _no_stray_postgresql_sessions(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """PostgreSQL will not drop the test database while another session is connected to it, and the suite would end in
    an error. Whatever is still connected at the very end (a thread that never closed its connection) is named on
    stderr, so the leak can be found, and disconnected."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for pid, application, state, query in cursor.fetchall():
            sys.stderr.write(f"stray PostgreSQL session {pid} ({application or '-'}, {state}): {query}\n")
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

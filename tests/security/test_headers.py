"""Content Security Policy and the other security headers on every page, pages that need no inline script or style to
work under that policy, and ``manage.py check --deploy`` with production settings and no warnings."""

import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.test_permission_walk import Side, _fill, _url, make_side, packet_routes

BASE_DIR = Path(settings.BASE_DIR)


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts and styles, style and on… attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL on <{tag}>")


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


def test_the_inline_finder_sees_what_the_policy_would_block() -> None:
    page = (
        '<script>alert(1)</script><script src="/static/x.js"></script><p style="color:red" onclick="x()">'
        '<a href="javascript:x()">x</a><style>p{}</style>'
    )

    assert inline_problems(page) == [
        "inline <script>",
        "style attribute on <p>",
        "onclick handler on <p>",
        "javascript: URL on <a>",
        "<style> element",
    ]


def test_every_response_carries_the_policy_and_the_security_headers(client: Client, db: None) -> None:
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_files_handed_out_carry_the_headers_too(client: Client, db: None) -> None:
    side = make_side("alice", "Riverton", version_number=1)
    client.force_login(side.user)

    response = client.get(reverse("exhibit_download", args=[side.packet.pk, side.exhibit.pk]))
    b"".join(response.streaming_content)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def _html_pages(client: Client, side: Side) -> dict[str, str]:
    """Every page a member can GET: the packet URLs from the URL conf plus the account pages."""
    pages = {}
    urls = [_url(route, _fill(route, side)) for route in packet_routes()]
    urls += [reverse(name) for name in ("dashboard", "packet_new", "packet_import", "shared_with_me")]
    urls += [reverse(name) for name in ("password_change",)]
    for url in urls:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
            continue
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[url] = response.content.decode()
    return pages


def test_no_page_needs_inline_script_or_style(client: Client, db: None) -> None:
    side = make_side("alice", "Riverton", version_number=1)
    client.force_login(side.user)

    pages = _html_pages(client, side)

    assert len(pages) >= 15, sorted(pages)
    problems = {url: found for url, html in pages.items() if (found := inline_problems(html))}
    assert problems == {}


@pytest.mark.parametrize("name", ["login", "signup", "password_reset"])
def test_the_account_pages_need_no_inline_script_or_style(client: Client, db: None, name: str) -> None:
    response = client.get(reverse(name))

    assert inline_problems(response.content.decode()) == []


def test_no_template_has_inline_script_or_style() -> None:
    # The print templates are WeasyPrint's input, never served to a browser: their <style> is not subject to the CSP.
    templates = [
        path
        for folder in (BASE_DIR / "templates", BASE_DIR / "packets")  # each capability keeps its own templates
        for path in folder.rglob("*.html")
        if "print" not in path.parts
    ]

    assert len(templates) > 30
    problems = {
        str(path.relative_to(BASE_DIR)): found for path in templates if (found := inline_problems(path.read_text()))
    }
    assert problems == {}


def production_environment(**extra: str) -> dict[str, Any]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="parole.example.org",
        SITE_URL="https://parole.example.org",
        ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_SETTINGS_MODULE="parole_wizard.settings",
    )
    env.update(extra)
    return env


def test_check_deploy_gives_no_warnings_with_production_settings() -> None:
    result = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout

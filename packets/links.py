"""Absolute links for emails: an email has no request to take the host from, so every link starts with ``SITE_URL``."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``/packets/…`` as ``https://parole.example.org/packets/…`` (``SITE_URL``, required in production)."""
    if path.startswith(("https://", "http://")):
        return path
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"

"""Security headers Django 5.2 does not send by itself: a Content Security Policy and a Permissions Policy.

Django's ``SecurityMiddleware`` already sends X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy
(see settings); this adds the rest to every response. The policy allows scripts and styles only from our own origin —
no inline ``<script>``, no ``style="…"``, no ``on…=`` handlers — so markup that slipped into a page could not run.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

DEFAULT_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Features a questionnaire never needs: a page that asks for one of them was not written by us.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


def content_security_policy() -> str:
    directives = {**DEFAULT_CSP, **getattr(settings, "CONTENT_SECURITY_POLICY", {})}
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy, Permissions-Policy and Cross-Origin-Resource-Policy unless a view set them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()
        self.header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault(self.header, self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Our files (exhibits, PDFs) may not be embedded by another site's pages.
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

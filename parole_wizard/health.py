"""A trivial view for load balancers and the latency benchmark: no database, no template, no session."""

from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")

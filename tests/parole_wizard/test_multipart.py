"""A step saved without a file is read by our quick reader, and reads exactly as Django's own parser would read it."""

from io import BytesIO
from typing import Any

import pytest
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory

from parole_wizard.multipart import PlainMultipartMiddleware, parse_plain_multipart
from tests.builders import make_packet

BOUNDARY = "----WebKitFormBoundaryu7Ajq2XbV0cLd4Ee"


def part(name: str, value: str | bytes, *, file_name: str | None = None, headers: str = "") -> bytes:
    """One part as Chromium and Firefox write it."""
    disposition = f'Content-Disposition: form-data; name="{name}"'
    if file_name is not None:
        disposition += f'; filename="{file_name}"\r\nContent-Type: application/octet-stream'
    data = value.encode() if isinstance(value, str) else value
    return f"--{BOUNDARY}\r\n{disposition}{headers}\r\n\r\n".encode() + data + b"\r\n"


def body(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def django_reads(data: bytes) -> tuple[dict[str, list[str]], list[str]]:
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(len(data))}
    request = RequestFactory().post("/")
    post, files = MultiPartParser(meta, BytesIO(data), request.upload_handlers, "utf-8").parse()
    return dict(post.lists()), list(files)


def quick_reads(data: bytes) -> dict[str, list[str]] | None:
    post = parse_plain_multipart(data, BOUNDARY, "utf-8")
    return dict(post.lists()) if post is not None else None


SAME_AS_DJANGO = {
    "plain fields": body(part("beneficiary-full_name", "Lucía Fernández"), part("beneficiary-revision", "7")),
    "an empty file input": body(part("a", "1"), part("beneficiary-passport_file", b"", file_name=""), part("b", "2")),
    "repeated names": body(part("item", "one"), part("item", "two"), part("item", "")),
    "lines and blank lines in a text area": body(part("summary", "First line.\r\n\r\nSecond paragraph.\r\n")),
    "a value that looks like a boundary line": body(part("note", "--not-the-boundary\r\n--")),
    "a name with spaces around it": body(part("  spaced  ", "kept")),
    "no field at all but the csrf token": body(part("csrfmiddlewaretoken", "abc")),
    "upper-case header name": body(part("x", "1").replace(b"Content-Disposition", b"CONTENT-DISPOSITION")),
    "an epilogue after the closing boundary": body(part("x", "1")) + b"ignored epilogue",
}


@pytest.mark.parametrize("data", SAME_AS_DJANGO.values(), ids=SAME_AS_DJANGO.keys())
def test_it_reads_a_file_less_form_as_django_does(data: bytes) -> None:
    post, files = django_reads(data)
    assert files == []
    assert quick_reads(data) == post


LEFT_TO_DJANGO = {
    "a chosen file": body(part("a", "1"), part("passport", b"%PDF-1.7 ...", file_name="passport.pdf")),
    "file content without a file name": body(part("passport", b"%PDF-1.7 ...", file_name="")),
    "a transfer encoding Django decodes": body(part("a", "aGVsbG8=", headers="\r\nContent-Transfer-Encoding: base64")),
    "a name with a quote escaped": body(part('a\\"b', "1")),
    "a name that is not ASCII": body(part("año", "1")),
    "a preamble before the first boundary": b"preamble\r\n" + body(part("a", "1")),
    "no closing boundary": part("a", "1"),
    "headers without the blank line": f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=a\r\n".encode(),
    "an unquoted name": body(part("a", "1").replace(b'name="a"', b"name=a")),
}


@pytest.mark.parametrize("data", LEFT_TO_DJANGO.values(), ids=LEFT_TO_DJANGO.keys())
def test_it_leaves_anything_else_to_djangos_parser(data: bytes) -> None:
    assert quick_reads(data) is None


def test_it_leaves_more_fields_than_allowed_to_django_which_refuses_them(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    data = body(*(part(f"f{n}", "x") for n in range(4)))
    assert quick_reads(data) is None
    assert quick_reads(body(*(part(f"f{n}", "x") for n in range(3)))) is not None


def test_the_middleware_reads_a_small_file_less_body_and_nothing_else() -> None:
    factory = RequestFactory()
    middleware = PlainMultipartMiddleware(lambda request: request)  # type: ignore[arg-type,return-value]
    content_type = f"multipart/form-data; boundary={BOUNDARY}"

    plain = factory.generic("POST", "/", body(part("a", "1")), content_type=content_type)
    middleware(plain)
    assert plain._post == QueryDict("a=1")  # read here, before any view

    with_file = factory.generic("POST", "/", body(part("f", b"data", file_name="f.pdf")), content_type=content_type)
    middleware(with_file)
    assert not hasattr(with_file, "_post")
    assert list(with_file.FILES) == ["f"]  # Django's parser reads it when asked


def test_a_step_saved_from_a_browser_without_a_file_keeps_every_answer(client: Client, user: Any) -> None:
    packet = make_packet(user)
    client.force_login(user)
    url = f"/packets/{packet.pk}/steps/project/"
    data = body(
        part("csrfmiddlewaretoken", "unused-in-tests"),
        part("project-revision", str(packet.revision)),
        part("project-title", "Safe Schools Seismic Assessment"),
        part("project-summary", "Assess fourteen school buildings.\r\nReport to the district."),
        part("wizard_action", "save_exit"),
    )
    response = client.generic("POST", url, data, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 302
    packet.refresh_from_db()
    project = packet.data["project"]
    assert project["title"] == "Safe Schools Seismic Assessment"
    assert project["summary"] == "Assess fourteen school buildings.\r\nReport to the district."

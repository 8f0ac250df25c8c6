"""What every page carries: a favicon, and a plain word after logging out."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_logging_out_says_so_on_the_login_page(logged_in_client) -> None:
    response = logged_in_client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You are signed out." in response.content.decode()
    assert "_auth_user_id" not in logged_in_client.session
    # Said once: the next page does not repeat it.
    assert "You are signed out." not in logged_in_client.get(reverse("login")).content.decode()


def test_posting_logout_while_signed_out_does_not_claim_a_sign_out(client) -> None:
    response = client.post(reverse("logout"), follow=True)
    assert "You are signed out." not in response.content.decode()


def test_every_page_links_the_svg_favicon_and_favicon_ico_leads_to_it(client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")
    icon = finders.find("favicon.svg")
    assert icon is not None
    with open(icon, encoding="utf-8") as handle:
        assert handle.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')

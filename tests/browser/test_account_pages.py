"""The account pages in a real browser: log in, sign up (with its error summary), password reset, email
confirmation and two-step login set-up, each checked by axe-core (WCAG 2.1 A and AA) and photographed at 390 px."""

import re
import time
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import Page, expect

from tests.builders import make_user

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # what make_user gives
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)")


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def press(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def test_the_pages_before_logging_in_are_accessible(page: Page, axe: Any, screenshot: Any) -> None:
    page.goto("/accounts/login/")
    axe.check(page, "login")
    screenshot(page, "account-login")
    press(page, "Log in")  # nothing typed
    expect(page.locator("#error-summary")).to_be_visible()
    axe.check(page, "login with an error")

    page.goto("/accounts/signup/")
    axe.check(page, "signup")
    screenshot(page, "account-signup")
    page.get_by_label("Username").fill("carla")
    page.locator("[name='password1']").fill("12345678")
    page.locator("[name='password2']").fill("12345678")
    press(page, "Create account")
    expect(page.locator("#error-summary")).to_be_visible()
    axe.check(page, "signup with errors")
    screenshot(page, "account-signup-errors")

    page.goto("/accounts/password/reset/")
    axe.check(page, "password reset")
    page.get_by_label("Email").fill("nobody@example.org")
    press(page, "Send the link")
    expect(page.locator("h1")).to_have_text("Check your email")
    axe.check(page, "password reset sent")
    axe.assert_clean()


def test_signing_up_confirming_the_address_and_setting_up_two_step_login_are_accessible(
    page: Page, axe: Any, screenshot: Any
) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("carla")
    page.get_by_label("Email").fill("carla@example.org")
    page.locator("[name='password1']").fill("a brand new stable horse")
    page.locator("[name='password2']").fill("a brand new stable horse")
    press(page, "Create account")
    expect(page.locator("h1")).to_have_text("My packets")

    link = CONFIRM_LINK.search(str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Confirm your email address")
    axe.check(page, "email confirmation")
    screenshot(page, "account-email-confirm")
    press(page, "Yes, confirm this address")

    page.get_by_role("link", name="Account", exact=True).click()
    axe.check(page, "account page")
    screenshot(page, "account-page")
    page.get_by_role("link", name="Your email address, and confirming it").click()
    axe.check(page, "email addresses")
    screenshot(page, "account-email")
    page.go_back()
    page.get_by_role("link", name="Two-step login with an authenticator app").click()
    axe.check(page, "two-step login overview")
    screenshot(page, "account-mfa-index")
    page.goto("/accounts/2fa/totp/activate/")
    expect(page.locator("h1")).to_have_text("Confirm it is you")
    axe.check(page, "password again")
    page.get_by_label("Password").fill("a brand new stable horse")
    press(page, "Continue")
    expect(page.locator("h1")).to_have_text("Set up two-step login")
    axe.check(page, "two-step login set-up")
    screenshot(page, "account-mfa-setup")
    secret = page.locator("#authenticator_secret").inner_text()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    press(page, "Turn on two-step login")
    axe.check(page, "after turning two-step login on")
    screenshot(page, "account-mfa-on")
    page.goto("/accounts/2fa/")
    expect(page.get_by_role("link", name="Show my recovery codes")).to_be_visible()
    axe.check(page, "two-step login overview, on")

    page.get_by_role("button", name=re.compile(r"^Log out")).click()
    page.goto("/accounts/login/")
    page.get_by_label("Username or email address").fill("carla")
    page.get_by_label("Password").fill("a brand new stable horse")
    press(page, "Log in")
    expect(page.locator("h1")).to_have_text("Enter the code from your app")
    axe.check(page, "the code step of logging in")
    screenshot(page, "account-mfa-code")
    axe.assert_clean()


def test_logging_in_by_email_address_works_in_the_browser(page: Page) -> None:
    make_user("ana", email="ana@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Username or email address").fill("ana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "Log in")

    expect(page.locator("h1")).to_have_text("My packets")

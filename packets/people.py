"""How people are named everywhere (pages, history, emails): by full name, never by user name when they gave one.

The full name comes from the person's profile, then from the account; the user name is the last resort. Counsel
are named with the firm and bar number or accreditation they set on their profile page, so an applicant knows who
is reviewing their packet.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from packets.models import Profile


def user_profile(user: Any) -> Profile | None:
    if user is None or not getattr(user, "pk", None):
        return None
    try:
        return user.profile  # type: ignore[no-any-return]
    except ObjectDoesNotExist:
        return None


def person_name(user: Any) -> str:
    """The person's full name (their user name when they gave none); "someone" for a deleted account."""
    if user is None:
        return _("someone")
    profile = user_profile(user)
    name = (profile.full_name.strip() if profile else "") or user.get_full_name().strip()
    return name or user.get_username()


def person_credentials(user: Any) -> str:
    """Firm and bar number or accreditation, as counsel gave them ("" when none)."""
    profile = user_profile(user)
    if profile is None:
        return ""
    parts = [profile.firm.strip()]
    if profile.bar_number.strip():
        parts.append(_("bar no. / accreditation %(number)s") % {"number": profile.bar_number.strip()})
    return ", ".join(part for part in parts if part)


def person_display(user: Any) -> str:
    """``Dana Whitfield (Whitfield Law, bar no. / accreditation NY 123456)``, or just the name."""
    credentials = person_credentials(user) if user is not None else ""
    name = person_name(user)
    return f"{name} ({credentials})" if credentials else name


def profile_save(*, user: Any, full_name: str, firm: str = "", bar_number: str = "") -> Profile:
    """Save how ``user`` is named to the others (created on first save)."""
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={"full_name": full_name.strip(), "firm": firm.strip(), "bar_number": bar_number.strip()},
    )
    return profile

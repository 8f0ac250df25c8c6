"""One submission of a form, one exhibit: what tells a second send of the same form from a new upload."""

import hashlib


def upload_key(*, form_token: str, place: tuple[str | int, ...], sha256: str) -> str:
    """The key stored on an exhibit (``Exhibit.upload_key``): the form's one-time token, the file's place in the form
    (its kind and the field it fills) and a digest of its bytes; "" when the form sent no token.

    The bytes are part of it so that a form shown again by the browser's Back button, with another file chosen, is a
    new upload and not taken for the first one.
    """
    if not form_token:
        return ""
    return hashlib.sha256(f"{form_token}\n{place!r}\n{sha256}".encode()).hexdigest()

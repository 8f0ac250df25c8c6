"""Sessions stored encrypted (``SESSION_ENGINE = "packets.session_store"``).

Django's database sessions are signed, not encrypted: the row is base64 JSON that anyone holding a database dump can
read, and ours hold the questionnaire's unsaved step input. This store keeps Django's format inside one Fernet token
(``packets.crypto``, the same keys and rotation as the rest); a session written before it is still read as it is.
"""

import logging
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from packets.crypto import DecryptionError, decrypt_text, encrypt_text, is_token

logger = logging.getLogger(__name__)


class SessionStore(DatabaseSessionStore):
    def encode(self, session_dict: dict[str, Any]) -> str:
        return encrypt_text(super().encode(session_dict))

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        if isinstance(session_data, bytes):
            session_data = session_data.decode("ascii", errors="replace")
        if is_token(session_data):
            try:
                session_data = decrypt_text(session_data)
            except DecryptionError:
                # Written with a key no longer configured: as with a bad signature, the session starts empty.
                logger.warning("a session could not be decrypted with the configured keys")
                return {}
        return super().decode(session_data)


def sessions_reencrypt() -> int:
    """Rewrite every unexpired session with the newest key (``rotate_encryption``); returns how many."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = SessionStore()
    count = 0
    for key, data in Session.objects.filter(expire_date__gt=timezone.now()).values_list("pk", "session_data"):
        Session.objects.filter(pk=key).update(session_data=store.encode(store.decode(data)))
        count += 1
    return count

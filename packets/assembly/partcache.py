"""Laid-out print parts, cached per packet, so a re-render after a text edit lays out only the parts it changed.

An entry is keyed by everything its layout depends on (the part's HTML, the print stylesheet, the WeasyPrint version
and ``LAYOUT_VERSION``), so a hit is byte-for-byte what a fresh layout would give. Entries live in the default storage
under ``cache/layout/<packet id>/``, encrypted like every stored file (a part holds the applicant's own words). After
each successful render only the entries that render used are kept, so the cache never outgrows one packet PDF's
narrative; deleting the packet deletes its folder.
"""

import hashlib
import logging
from functools import cache

import weasyprint
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from packets.assembly.layout import PRINT_CSS
from packets.crypto import DecryptionError

logger = logging.getLogger(__name__)

# Bump when the way parts are laid out changes without the HTML changing (a new layout setting, say).
LAYOUT_VERSION = 2  # 2: parts are tagged PDF (pdf_tags)
ROOT = "cache/layout"


@cache
def _salt() -> bytes:
    return f"{LAYOUT_VERSION}\0{weasyprint.__version__}\0".encode() + PRINT_CSS.read_bytes() + b"\0"


class PartCache:
    """The cached parts of one packet."""

    def __init__(self, scope: str) -> None:
        self.folder = f"{ROOT}/{scope}"

    @staticmethod
    def key(html: str) -> str:
        return hashlib.sha256(_salt() + html.encode()).hexdigest()

    def get(self, key: str) -> bytes | None:
        """The cached PDF, or None when there is none or it cannot be read (written with a retired key, or
        removed by a concurrent render meanwhile): the part is then simply laid out again."""
        try:
            with default_storage.open(self._name(key), "rb") as handle:
                data = handle.read()
        except (OSError, ValueError, DecryptionError):
            return None
        return data if data.startswith(b"%PDF-") else None

    def put(self, key: str, pdf: bytes) -> None:
        name = self._name(key)
        try:
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(pdf))
        except OSError:
            logger.warning("could not cache the laid-out part %s", name, exc_info=True)

    def keep_only(self, keys: set[str]) -> None:
        """Delete this packet's entries that are not in ``keys``."""
        try:
            _folders, files = default_storage.listdir(self.folder)
        except (OSError, NotImplementedError):
            return
        for file in files:
            if file.removesuffix(".pdf") not in keys:
                try:
                    default_storage.delete(f"{self.folder}/{file}")
                except OSError:
                    logger.warning("could not remove the stale part %s/%s", self.folder, file, exc_info=True)

    def clear(self) -> None:
        self.keep_only(set())

    def _name(self, key: str) -> str:
        return f"{self.folder}/{key}.pdf"

"""The only way WeasyPrint reaches anything outside the HTML string: our print stylesheet and nothing else.

User text is escaped before it reaches the HTML, so hostile markup never asks for a URL; this fetcher is the second
wall. Anything not on the allow-list (``file://``, ``data:``, any network address, any other path) stops the render
instead of being dropped quietly, because a silently missing resource is a wrong packet.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import weasyprint
from weasyprint.urls import FatalURLFetchingError

# A base URL that can never resolve on any network (RFC 2606), so relative references stay inside our namespace.
BASE_URL = "https://print.invalid/"


@dataclass(frozen=True)
class Asset:
    body: bytes
    mime_type: str


class RefusedURL(FatalURLFetchingError):
    """WeasyPrint asked for a URL that is not one of ours."""


class PacketURLFetcher(weasyprint.URLFetcher):
    """Serves exactly the ``assets`` it was given (keyed by full URL) and refuses every other URL."""

    def __init__(self, assets: Mapping[str, Asset]) -> None:
        # No handlers of our own: the parent's urllib handlers are never used, ``fetch`` below answers everything.
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=True)
        self._assets = dict(assets)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> weasyprint.urls.URLFetcherResponse:
        asset = self._assets.get(url)
        if asset is None:
            self.refused.append(url)
            raise RefusedURL(f"refused to fetch {url[:200]!r}: only the packet's own assets are served")
        return weasyprint.urls.URLFetcherResponse(url, body=asset.body, headers={"Content-Type": asset.mime_type})

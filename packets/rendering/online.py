"""A rendered version as files for online filing: numbered PDFs under an upload limit, with an index, or their ZIP.

The splitting itself is pure (``packets.assembly.splitting``); here the version's stored PDF is read (decrypted by its
storage, as the download view reads it) and the index says which file holds what, and where the limit comes from.
"""

import io
import zipfile
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from packets.assembly.splitting import OnlineFile, megabytes, split_packet_pdf
from packets.content.facts import FilingFact, filing_facts
from packets.models import PacketVersion

LIMIT_FACT = "online_file_size"
INDEX_NAME = "00-index.txt"
MAX_LIMIT_MB = 100


def default_limit_mb() -> float:
    """The upload limit the filing facts report, in MB (unverified: see its fact)."""
    limit = limit_fact().max_file_mb
    if limit is None:  # pragma: no cover - the facts file is validated by the tests
        raise ValueError(f"the filing fact {LIMIT_FACT!r} has no max_file_mb")
    return limit


def limit_fact() -> FilingFact:
    return filing_facts().get(LIMIT_FACT)


@dataclass(frozen=True)
class OnlineFiling:
    files: list[OnlineFile]
    index: str

    def named(self) -> list[tuple[str, bytes]]:
        """Every file to hand over, the index first."""
        return [(INDEX_NAME, self.index.encode("utf-8")), *((file.name, file.pdf) for file in self.files)]


def version_online_files(*, version: PacketVersion, limit_mb: float) -> OnlineFiling:
    """``version`` split into files of at most ``limit_mb`` megabytes (10**6 bytes) each, and their index.

    Raises ``SplitError`` (its message translated where it is read) when a single page is over the limit, and
    ``FileNotFoundError`` when the version's PDF is missing from the storage.
    """
    with version.pdf.open("rb") as handle:
        pdf = handle.read()
    with translation.override("en"):  # like the packet: in English, the filing language (its titles, the index)
        files = split_packet_pdf(pdf, limit=int(limit_mb * 1_000_000))
        index = _index(version, files, limit_mb)
    return OnlineFiling(files=files, index=index)


def version_online_zip(*, version: PacketVersion, limit_mb: float) -> bytes:
    """The files of ``version_online_files`` in one ZIP (stored, not compressed again: PDF streams already are)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in version_online_files(version=version, limit_mb=limit_mb).named():
            info = zipfile.ZipInfo(name, date_time=version.created_at.timetuple()[:6])
            archive.writestr(info, content)
    return buffer.getvalue()


def _index(version: PacketVersion, files: list[OnlineFile], limit_mb: float) -> str:
    fact, facts = limit_fact(), filing_facts()
    kind = _("final") if version.final else _("draft")
    lines = [
        _("%(packet)s: version %(number)s (%(kind)s), %(pages)s pages, for online filing")
        % {"packet": version.packet.name, "number": version.number, "kind": kind, "pages": version.page_count},
        _("SHA-256 of the whole packet PDF: %(sha)s") % {"sha": version.sha256},
        _("Split into %(count)s files of at most %(limit)s each (%(bytes)s bytes).")
        % {"count": len(files), "limit": megabytes(limit_mb * 1_000_000), "bytes": f"{int(limit_mb * 1_000_000):,}"},
        _(
            "Upload the files in their numbered order. Every page keeps its packet stamp (Page N of M). A link to a "
            "page in another file was removed; the text still names that exhibit or page."
        )
        if len(files) > 1
        else _("The whole packet fits in one file."),
        "",
    ]
    for file in files:
        lines.append(
            _("%(name)s  packet %(pages)s  %(size)s")
            % {"name": file.name, "pages": _pages(file.first_page, file.last_page), "size": megabytes(len(file.pdf))}
        )
        lines += [f"    {piece.title} ({_pages(piece.first + 1, piece.first + piece.count)})" for piece in file.pieces]
        lines.append("")
    lines += [
        _("About the limit: %(name)s. %(detail)s") % {"name": fact.name, "detail": fact.detail},
        _("Source: %(source)s. %(confidence)s") % {"source": fact.source, "confidence": fact.confidence},
        _("Facts last verified on %(date)s. %(disclaimer)s")
        % {"date": facts.last_verified.isoformat(), "disclaimer": facts.disclaimer},
        "",
    ]
    return "\n".join(lines)


def _pages(first: int, last: int) -> str:
    if first == last:
        return _("page %(first)s") % {"first": first}
    return _("pages %(first)s–%(last)s") % {"first": first, "last": last}

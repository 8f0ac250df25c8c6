"""Encryption at rest: uploaded exhibits, rendered packets and the packet content (passport numbers, birth dates…).

Keys come from ``settings.ENCRYPTION_KEYS`` (Fernet keys, newest first). Everything is encrypted with the newest key;
every key still decrypts, so a new key can be put in front at any time and ``manage.py rotate_encryption`` then
re-encrypts what the old keys wrote. A database dump or a copy of the media folder alone reveals none of it.

Files are encrypted in 1 MiB records, each its own Fernet token, so a file of any size is written and read with
bounded memory, and read by seeking like a plain file (downloads, archives and the renderer are unchanged). Each
record's plaintext starts with its index and a "last" flag: records cannot be dropped, reordered or cut off unnoticed.

    file    = MAGIC record+
    record  = length (4 bytes, big-endian) token
    token   = Fernet(index (8 bytes) | last (1 byte) | up to 1 MiB of the file)

Files and JSON written before encryption existed (no ``MAGIC``, not a token) are still read as they are, until
``rotate_encryption`` encrypts them.
"""

import contextlib
import errno
import io
import json
import os
import struct
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms import TextInput
from django.utils.crypto import salted_hmac

MAGIC = b"PWENC1\n"
RECORD_SIZE = 1024 * 1024
_LENGTH = struct.Struct(">I")
_HEADER = struct.Struct(">QB")  # record index, last flag
# A Fernet token starts with version byte 0x80, which base64 writes as "gAAAAA" for any timestamp before 2106.
_TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - a format marker, not a secret


class DecryptionError(Exception):
    """Stored data that none of the configured keys decrypts, or that was tampered with."""


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("Set ENCRYPTION_KEYS (comma-separated Fernet keys, newest first).")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured("ENCRYPTION_KEYS holds a value that is not a Fernet key.") from error


def keys() -> MultiFernet:
    """The configured keys (read each time, so tests and key changes in settings take effect)."""
    return _multifernet(tuple(settings.ENCRYPTION_KEYS))


def newest_key_only() -> Fernet:
    return Fernet(settings.ENCRYPTION_KEYS[0])


def encrypt_bytes(data: bytes) -> bytes:
    return keys().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return keys().decrypt(token)
    except InvalidToken as error:
        raise DecryptionError("no configured key decrypts this data (was ENCRYPTION_KEYS changed?)") from error


# ── JSON in the database ───────────────────────────────────────────────────────────────────────────────────────


def is_token(value: str) -> bool:
    return value.startswith(_TOKEN_PREFIX)


def encrypt_json(value: Any) -> str:
    return encrypt_bytes(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()).decode("ascii")


def decrypt_json(stored: str) -> Any:
    if not is_token(stored):  # written before encryption: plain JSON until rotate_encryption rewrites it
        return json.loads(stored)
    return json.loads(decrypt_bytes(stored.encode("ascii")))


def token_is_current(stored: str) -> bool:
    """Whether ``stored`` is already encrypted with the newest key (rotation can skip it)."""
    if not is_token(stored):
        return False
    try:
        newest_key_only().decrypt(stored.encode("ascii"))
    except InvalidToken:
        return False
    return True


class EncryptedJSONField(models.TextField):
    """JSON stored as one Fernet token (text): the database never sees the content.

    The value in Python is the same as a ``JSONField``'s. Lookups inside the JSON (``data__…``) cannot work on it;
    only ``isnull`` is meaningful.
    """

    # For django-stubs: the Python value is JSON (dicts, lists…), as with JSONField, not the stored text.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return decrypt_json(value)

    def to_python(self, value: Any) -> Any:
        # A token is decrypted; any other string is the value itself, as serialisers hand it over (a JSON string such
        # as an exhibit's text, which may well read "2027" or "null" and must not turn into a number or None).
        if isinstance(value, str) and is_token(value):
            try:
                return decrypt_json(value)
            except (ValueError, DecryptionError):
                return value
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt_json(value)

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)  # serialisers get the plain JSON value, as with JSONField

    def formfield(self, **kwargs: Any) -> Any:
        return None  # never edited through a model form


# ── Text in the database ───────────────────────────────────────────────────────────────────────────────────────


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode()).decode("ascii")


def decrypt_text(stored: str) -> str:
    if not is_token(stored):  # written before encryption: plain text until the migration or rotate_encryption
        return stored
    return decrypt_bytes(stored.encode("ascii")).decode()


class EncryptedTextField(models.TextField):
    """Text stored as one Fernet token, as ``EncryptedJSONField`` stores JSON: the database never sees the words.

    The value in Python is the plain string. The column holds tokens, so a database lookup, ordering or search on it
    would compare ciphertexts: only ``isnull`` is allowed, and anything else raises instead of matching nothing.
    Sort and search such text in Python, after it is read. ``max_length`` is checked by validation and forms (a
    token is longer than its text, so the column itself is unbounded text).
    """

    _pyi_private_set_type: str
    _pyi_private_get_type: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return decrypt_text(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and is_token(value):
            try:
                return decrypt_text(value)
            except (UnicodeDecodeError, DecryptionError):
                return value
        return super().to_python(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt_text(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted: the database cannot compare it ({lookup_name}).")
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedTextField):
    """A one-line ``EncryptedTextField`` (a title, a name): forms show it as a text input, like a ``CharField``."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"widget": TextInput, **kwargs})


ENCRYPTED_FIELDS = (EncryptedJSONField, EncryptedTextField)


def lookup_digest(value: str, *, purpose: str) -> str:
    """A keyed hash of ``value`` (trimmed, case folded) to find, or keep unique, rows whose text is encrypted. Keyed
    with ``SECRET_KEY``, not the rotated encryption keys: a dump alone cannot test guesses against it."""
    return salted_hmac(f"packets.lookup.{purpose}", value.strip().casefold(), algorithm="sha256").hexdigest()


# ── Files ──────────────────────────────────────────────────────────────────────────────────────────────────────


def encrypted_records(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """``MAGIC`` and then the records of the file whose content ``chunks`` yields (any sizes)."""
    fernet = keys()
    yield MAGIC
    buffer = bytearray()
    index = 0
    for chunk in chunks:
        buffer += chunk
        # Strictly more than a record: only the very last record is marked last, so one is always kept back.
        while len(buffer) > RECORD_SIZE:
            yield _record(fernet, index, bytes(buffer[:RECORD_SIZE]), last=False)
            del buffer[:RECORD_SIZE]
            index += 1
    yield _record(fernet, index, bytes(buffer), last=True)


def _record(fernet: MultiFernet, index: int, data: bytes, *, last: bool) -> bytes:
    token = fernet.encrypt(_HEADER.pack(index, int(last)) + data)
    return _LENGTH.pack(len(token)) + token


def is_encrypted_file(handle: IO[bytes]) -> bool:
    handle.seek(0)
    start = handle.read(len(MAGIC))
    handle.seek(0)
    return start == MAGIC


class DecryptingReader(io.RawIOBase):
    """A seekable, read-only view of the plaintext of an encrypted file; one record in memory at a time."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._offsets = self._record_offsets()
        self._position = 0
        self._cached: tuple[int, bytes] | None = None
        self._size: int | None = None
        self.name = getattr(raw, "name", None)

    def _record_offsets(self) -> list[int]:
        offsets, offset = [], len(MAGIC)
        self._raw.seek(0, os.SEEK_END)
        end = self._raw.tell()
        while offset < end:
            self._raw.seek(offset)
            prefix = self._raw.read(_LENGTH.size)
            if len(prefix) != _LENGTH.size:
                raise DecryptionError("the encrypted file is truncated")
            offsets.append(offset)
            offset += _LENGTH.size + _LENGTH.unpack(prefix)[0]
        if offset != end or not offsets:
            raise DecryptionError("the encrypted file is truncated")
        return offsets

    def _plain(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        self._raw.seek(self._offsets[index])
        (length,) = _LENGTH.unpack(self._raw.read(_LENGTH.size))
        plain = decrypt_bytes(self._raw.read(length))
        stored_index, last = _HEADER.unpack_from(plain)
        if stored_index != index or bool(last) != (index == len(self._offsets) - 1):
            raise DecryptionError("the encrypted file's records are out of order or incomplete")
        data = plain[_HEADER.size :]
        self._cached = (index, data)
        return data

    @property
    def size(self) -> int:
        if self._size is None:
            self._size = (len(self._offsets) - 1) * RECORD_SIZE + len(self._plain(len(self._offsets) - 1))
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: Any) -> int:
        index, within = divmod(self._position, RECORD_SIZE)
        if index >= len(self._offsets):
            return 0
        data = self._plain(index)[within : within + len(buffer)]
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_plaintext(raw: IO[bytes]) -> IO[bytes]:
    """``raw`` as plaintext: decrypted if it is an encrypted file, as it is if it was stored before encryption."""
    if not is_encrypted_file(raw):
        return raw
    return io.BufferedReader(DecryptingReader(raw), buffer_size=RECORD_SIZE)


class _EncryptingContent(File):
    """``content`` as its encrypted records; deliberately without ``temporary_file_path`` so nothing is moved as is."""

    def __init__(self, content: File) -> None:
        super().__init__(None, name=content.name)
        self._content = content

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        if hasattr(self._content, "seek"):
            self._content.seek(0)
        return encrypted_records(iter(self._content.chunks(RECORD_SIZE)))


class EncryptedFileSystemStorage(FileSystemStorage):
    """The file-system storage, encrypting every file it writes and decrypting every file it opens."""

    def _save(self, name: str, content: File) -> str:
        try:
            return super()._save(name, _EncryptingContent(content))  # type: ignore[misc]  # not in django-stubs
        except OSError as error:
            # Django leaves a partly written file behind (disk full, I/O error): remove it, or it would be an orphan.
            # FileExistsError never reaches here with our file at ``name``, so what is there is ours.
            if error.errno != errno.EEXIST and not isinstance(error, FileExistsError):
                self._remove_partial(name)
            raise

    def _remove_partial(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.path(name))

    def _open(self, name: str, mode: str = "rb") -> File:
        if any(flag in mode for flag in "wa+"):
            raise ValueError("encrypted files are written only through save()")
        handle = open(self.path(name), "rb")  # noqa: SIM115 - closed by the File (and the reader) it is given to
        return File(open_plaintext(handle), name=name)

    def size(self, name: str) -> int:
        with open(self.path(name), "rb") as handle:
            if not is_encrypted_file(handle):
                return os.path.getsize(self.path(name))
            return DecryptingReader(handle).size

    def is_encrypted(self, name: str) -> bool:
        with open(self.path(name), "rb") as handle:
            return is_encrypted_file(handle)

    def is_current(self, name: str) -> bool:
        """Whether the file is encrypted and its first record uses the newest key."""
        with open(self.path(name), "rb") as handle:
            if not is_encrypted_file(handle):
                return False
            handle.seek(len(MAGIC))
            (length,) = _LENGTH.unpack(handle.read(_LENGTH.size))
            try:
                newest_key_only().decrypt(handle.read(length))
            except InvalidToken:
                return False
            return True

    def reencrypt(self, name: str) -> None:
        """Rewrite ``name`` encrypted with the newest key, atomically (a crash leaves the old file intact)."""
        path = self.path(name)
        temporary = f"{path}.rotating"
        with open(path, "rb") as source, open(temporary, "wb") as out:
            plain = open_plaintext(source)
            for record in encrypted_records(iter(lambda: plain.read(RECORD_SIZE), b"")):
                out.write(record)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)

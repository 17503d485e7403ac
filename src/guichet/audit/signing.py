"""The platform's Ed25519 key: it signs the audit chain's head and the backup manifests.

The private key never enters the database: production gives it in `GUICHET_SIGNING_KEY` (the PEM text, or
the 32-byte seed in base64) or in a file named by `GUICHET_SIGNING_KEY_FILE` (mode 0600). Without either,
a development key is generated into the data folder (`var/dev-signing-key.pem`, mode 0600) for DEBUG,
the demo and the tests; a production (DEBUG off) then refuses to start (`guichet.web.checks`, E003).
Its public half is what anyone checks a signature with: `guichet audit public-key` prints it, the
/transparency/ page shows it, docs/audit.md says how to publish it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

ALGORITHM = "Ed25519"
DEV_KEY_NAME = "dev-signing-key.pem"


class SigningKeyError(RuntimeError):
    """The configured key cannot be read, said in one line."""


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    key_id: str
    development: bool
    source: str  # "environment", the key file's path, or the development key file's path

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()


def key_id_of(public: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key: short enough to print, enough to
    tell keys apart."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def private_pem(private: Ed25519PrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def parse_private_key(text: bytes, *, where: str) -> Ed25519PrivateKey:
    """A PEM private key, or the 32-byte seed in base64."""
    stripped = text.strip()
    try:
        if stripped.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(stripped, password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(stripped, validate=True))
    except (ValueError, TypeError, binascii.Error) as error:
        raise SigningKeyError(f"{where}: not an Ed25519 private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{where}: the key is not an Ed25519 key")
    return key


def parse_public_key(text: bytes, *, where: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(text.strip())
    except ValueError as error:
        raise SigningKeyError(f"{where}: not a PEM public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{where}: the key is not an Ed25519 key")
    return key


def write_key_file(path: Path, private: Ed25519PrivateKey) -> None:
    """Write a private key readable by its owner only, never over an existing file (a key that signed
    heads must not be lost): the text goes to a private temporary file that is then linked into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_pem(private))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)  # fails if the file exists: two processes never keep different keys
    finally:
        os.unlink(temporary)


def development_key_path() -> Path:
    return Path(settings.GUICHET_VAR_DIR) / DEV_KEY_NAME


def _development_key() -> Ed25519PrivateKey:
    path = development_key_path()
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process wrote it first: use that one
            write_key_file(path, Ed25519PrivateKey.generate())
    return parse_private_key(path.read_bytes(), where=str(path))


def configured_source() -> str:
    """Where the real key comes from, or "" when none is configured."""
    if settings.GUICHET_SIGNING_KEY:
        return "environment"
    return str(settings.GUICHET_SIGNING_KEY_FILE or "")


@functools.lru_cache(maxsize=8)
def _load(environment: str, key_file: str, var_dir: str) -> SigningKey:
    if environment:
        private = parse_private_key(environment.encode("utf-8"), where="GUICHET_SIGNING_KEY")
        return SigningKey(private, key_id_of(private.public_key()), False, "environment")
    if key_file:
        try:
            data = Path(key_file).read_bytes()
        except OSError as error:
            raise SigningKeyError(f"GUICHET_SIGNING_KEY_FILE {key_file}: {error.strerror}") from None
        private = parse_private_key(data, where=key_file)
        return SigningKey(private, key_id_of(private.public_key()), False, key_file)
    private = _development_key()
    return SigningKey(private, key_id_of(private.public_key()), True, str(development_key_path()))


def current_key() -> SigningKey:
    """The key that signs now (cached per configuration, so tests that change the settings get theirs)."""
    return _load(
        settings.GUICHET_SIGNING_KEY,
        str(settings.GUICHET_SIGNING_KEY_FILE or ""),
        str(settings.GUICHET_VAR_DIR),
    )


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """The public keys a signature may come from: the current key's, and earlier keys listed in
    `GUICHET_TRUSTED_PUBLIC_KEYS` (PEM files) after a key change."""
    key = current_key()
    keys = {key.key_id: key.public}
    for name in settings.GUICHET_TRUSTED_PUBLIC_KEYS:
        public = parse_public_key(Path(name).read_bytes(), where=name)
        keys[key_id_of(public)] = public
    return keys


def sign(data: bytes) -> tuple[str, str]:
    """(key id, base64 signature) of the bytes."""
    key = current_key()
    return key.key_id, base64.b64encode(key.private.sign(data)).decode("ascii")


def signature_holds(
    data: bytes, *, key_id: str, signature: str, keys: dict[str, Ed25519PublicKey] | None = None
) -> bool:
    public = (keys if keys is not None else trusted_keys()).get(key_id)
    if public is None:
        return False
    try:
        public.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def key_file_problem(path: str) -> str:
    """Why a key file is unfit (readable by others, missing), or ""."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"GUICHET_SIGNING_KEY_FILE {path}: {error.strerror}"
    if mode & 0o077:
        return (
            f"GUICHET_SIGNING_KEY_FILE {path} is readable by other users (mode {oct(mode & 0o777)}): "
            "chmod 600 it"
        )
    return ""

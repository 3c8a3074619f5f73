"""Payload encryption: customers' personal data never reaches Temporal's histories in clear.

Every payload the client or worker sends is sealed with AES-256-GCM under the active key of
a key ring; decoding picks the key named in the payload, so keys rotated out of the active
slot still open old histories. Payloads that were never encrypted (histories written before
encryption was turned on) pass through unchanged.

Operators make a key with `python -m core.codec new-key` and list keys, active first, as
`REDRESS_CODEC_KEYS="k2:<base64>,k1:<base64>"`.
"""

import base64
import binascii
import dataclasses
import os
import sys
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)

ENCODING = b"binary/encrypted"
KEY_ID_METADATA = "encryption-key-id"
NONCE_BYTES = 12
KEY_BYTES = 32


class CodecKeyError(ValueError):
    """A key ring spec or a payload's key id is unusable; the message says what to fix."""


class EncryptionCodec(PayloadCodec):
    """Seals payloads with the active key; opens them with whichever key they name."""

    def __init__(self, keys: Mapping[str, bytes], active_key_id: str) -> None:
        if active_key_id not in keys:
            raise CodecKeyError(f"active key {active_key_id!r} is not in the key ring")
        for key_id, key in keys.items():
            if len(key) != KEY_BYTES:
                raise CodecKeyError(f"key {key_id!r} is {len(key)} bytes, AES-256 needs 32")
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.active_key_id = active_key_id

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Returns the payloads encrypted with the active key."""
        cipher = self._ciphers[self.active_key_id]
        sealed = []
        for payload in payloads:
            nonce = os.urandom(NONCE_BYTES)
            ciphertext = cipher.encrypt(nonce, payload.SerializeToString(), None)
            sealed.append(
                Payload(
                    metadata={
                        "encoding": ENCODING,
                        KEY_ID_METADATA: self.active_key_id.encode(),
                    },
                    data=nonce + ciphertext,
                )
            )
        return sealed

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Returns the payloads decrypted; unencrypted ones come back as they are."""
        return [self._open(payload) for payload in payloads]

    def _open(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID_METADATA, b"").decode()
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            known = ", ".join(sorted(self._ciphers))
            raise CodecKeyError(
                f"payload is encrypted with key {key_id!r}, which is not in the key ring "
                f"({known}): add it to REDRESS_CODEC_KEYS"
            )
        nonce, ciphertext = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            plaintext = cipher.decrypt(nonce, ciphertext, None)
        except InvalidTag as error:
            raise CodecKeyError(
                f"payload encrypted with key {key_id!r} failed authentication: "
                "it was altered, or the key under that id is not the one that sealed it"
            ) from error
        original = Payload()
        original.ParseFromString(plaintext)
        return original


def codec_from_keys(spec: str) -> EncryptionCodec | None:
    """Returns the codec for a `id:base64key,...` ring (first is active), or None if empty."""
    entries = [entry.strip() for entry in spec.split(",") if entry.strip()]
    if not entries:
        return None
    keys: dict[str, bytes] = {}
    for entry in entries:
        key_id, sep, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id:
            raise CodecKeyError(f"key ring entry {entry[:8]!r}... is not `id:base64key`")
        if key_id in keys:
            raise CodecKeyError(f"key id {key_id!r} appears twice in the key ring")
        try:
            keys[key_id] = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error as error:
            raise CodecKeyError(f"key {key_id!r} is not valid base64") from error
    return EncryptionCodec(keys, active_key_id=next(iter(keys)))


def data_converter(codec: PayloadCodec | None) -> DataConverter:
    """Returns the pydantic data converter, encrypting through `codec` when there is one."""
    if codec is None:
        return pydantic_data_converter
    # Failure messages and stack traces can quote customer data too: encode them as well.
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=codec,
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


def new_key() -> str:
    """Returns a fresh random AES-256 key, base64-encoded."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()


def main(argv: Sequence[str]) -> int:
    if list(argv) != ["new-key"]:
        print("usage: python -m core.codec new-key", file=sys.stderr)
        return 2
    print(new_key())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

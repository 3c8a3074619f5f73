"""What a file is, read from its bytes: the sender's name and content type are never
trusted, since a program renamed `photo.jpg` is still a program.

Images are decoded in full by Pillow (HEIC and HEIF through pillow-heif), so a file that
merely starts like a JPEG and goes on as something else is refused; PDFs are known by
their header; plain text is UTF-8 with no control characters but tabs and line ends.
"""

import io
import unicodedata
import warnings

from PIL import Image
from pillow_heif import register_heif_opener

from domain.evidence import HEIC, HEIF, JPEG, PDF, PNG, TEXT, WEBP

register_heif_opener()

# Pillow's format names, for the image types taken.
_IMAGE_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}
# HEIF files name their kind in the `ftyp` box's major brand (ISO/IEC 23008-12).
_HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx")
# A photo of a parcel needs far fewer pixels; more is a decompression bomb.
MAX_IMAGE_PIXELS = 80_000_000
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")


def sniff_content_type(data: bytes) -> str | None:
    """Returns the evidence type `data` holds (`domain.evidence.EVIDENCE_TYPES`), or None
    when it is none of them, or an image that does not decode."""
    image_type = _image_type(data)
    if image_type is not None:
        return image_type
    if data.startswith(b"%PDF-"):
        return PDF
    if _is_plain_text(data):
        return TEXT
    return None


def _image_type(data: bytes) -> str | None:
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses: a warned size is refused here already.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = _type_of(image.format, data)
                if kind is None:
                    return None
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return None
                if kind == JPEG:
                    # A reduced decode reads every scan of the file at a fraction of the cost.
                    image.draft("RGB", (512, 512))
                image.load()
    except Exception:
        # Not an image Pillow knows, or one that is truncated or corrupt: not an image.
        return None
    return kind


def _type_of(pillow_format: str | None, data: bytes) -> str | None:
    if pillow_format == "HEIF":
        return HEIC if data[8:12] in _HEIC_BRANDS else HEIF
    return _IMAGE_FORMATS.get(pillow_format or "")


def _is_plain_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return all(unicodedata.category(c) != "Cc" or c in _ALLOWED_CONTROLS for c in text)

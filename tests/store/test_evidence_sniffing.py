"""Evidence types are read from the bytes: real images of each kind are known, and a
renamed program, a truncated photo or a file that only starts like a JPEG are not."""

import io

import pytest
from PIL import Image

from domain.evidence import HEIC, JPEG, PDF, PNG, TEXT, WEBP
from store.evidence_sniffing import sniff_content_type


def image_bytes(pillow_format: str, size: tuple[int, int] = (64, 48)) -> bytes:
    """Returns a real image in `pillow_format`, drawn here."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format=pillow_format)
    return buffer.getvalue()


# The start of a Windows program (MZ header, DOS stub): what `setup.exe` renamed holds.
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)


@pytest.mark.parametrize(
    ("pillow_format", "expected"),
    [("JPEG", JPEG), ("PNG", PNG), ("WEBP", WEBP), ("HEIF", HEIC)],
)
def test_each_image_type_is_known_by_its_bytes(pillow_format: str, expected: str) -> None:
    assert sniff_content_type(image_bytes(pillow_format)) == expected


def test_pdf_and_plain_text_in_chinese_are_known() -> None:
    assert sniff_content_type(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n") == PDF
    assert sniff_content_type("订单号：ORD-1001\r\n\t快递单号　SF123\n".encode()) == TEXT


def test_a_renamed_program_is_no_evidence_type() -> None:
    assert sniff_content_type(PROGRAM) is None


def test_a_file_that_only_starts_like_a_jpeg_is_refused() -> None:
    photo = image_bytes("JPEG", (256, 256))
    assert sniff_content_type(photo[:600]) is None
    assert sniff_content_type(photo[:20] + PROGRAM) is None


def test_binary_and_control_characters_are_not_plain_text() -> None:
    assert sniff_content_type(b"hello\x00world") is None
    assert sniff_content_type(b"\x1b[31mred\x1b[0m") is None
    assert sniff_content_type("gbk 文本".encode("gbk")) is None

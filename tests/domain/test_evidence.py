"""Evidence limits and names: what is refused and why, and how refusals are told."""

import pytest

from domain.evidence import (
    EVIDENCE_TYPES,
    HEIC,
    HEIF,
    JPEG,
    OWN_THUMBNAIL_MAX_BYTES,
    PDF,
    PNG,
    TEXT,
    WEBP,
    EvidenceLimits,
    EvidenceNotice,
    EvidenceSource,
    RefusalReason,
    RefusedFile,
    clean_filename,
    megabytes,
    refusal_values,
    thumbnail_is_preview,
)

MB = 1024 * 1024
LIMITS = EvidenceLimits(max_file_bytes=10 * MB, max_case_bytes=50 * MB)


@pytest.mark.parametrize(
    ("content_type", "size", "held", "reason"),
    [
        (JPEG, 10 * MB, 0, None),
        (JPEG, 10 * MB + 1, 0, RefusalReason.TOO_LARGE),
        (JPEG, 0, 0, RefusalReason.EMPTY),
        (None, 1000, 0, RefusalReason.TYPE_NOT_ACCEPTED),
        ("application/zip", 1000, 0, RefusalReason.TYPE_NOT_ACCEPTED),
        (JPEG, 5 * MB, 45 * MB, None),
        (JPEG, 5 * MB, 45 * MB + 1, RefusalReason.CASE_FULL),
        # Size is told before type: "too large" is what the sender can act on first.
        (None, 11 * MB, 0, RefusalReason.TOO_LARGE),
    ],
)
def test_limits_refuse_by_size_type_and_what_the_case_holds(
    content_type: str | None, size: int, held: int, reason: RefusalReason | None
) -> None:
    assert LIMITS.refusal(content_type, size, held) is reason


def test_types_left_out_by_the_settings_are_refused_and_not_named() -> None:
    photos_only = EvidenceLimits(
        max_file_bytes=MB, max_case_bytes=MB, accepted_types=frozenset(EVIDENCE_TYPES) - {PDF}
    )
    assert photos_only.refusal(PDF, 100, 0) is RefusalReason.TYPE_NOT_ACCEPTED
    assert photos_only.accepted_names() == "JPEG, PNG, WebP, HEIC, HEIF, text"


def test_megabytes_are_told_without_a_needless_decimal() -> None:
    told = [megabytes(10 * MB), megabytes(int(2.5 * MB)), megabytes(16 * 1024), megabytes(512)]
    assert told == ["10", "2.5", "0.02", "0"]


@pytest.mark.parametrize(
    ("given", "content_type", "expected"),
    [
        ("C:\\Users\\lin\\Desktop\\破损.jpg", JPEG, "破损.jpg"),
        ("../../etc/passwd", None, "passwd"),
        ("line\nbreak\r.pdf", PDF, "linebreak.pdf"),
        ("", JPEG, "file.jpg"),
        ("...", None, "file.bin"),
        ("a" * 300 + ".heic", None, "a" * 195 + ".heic"),
    ],
)
def test_filenames_are_safe_to_show(given: str, content_type: str | None, expected: str) -> None:
    assert clean_filename(given, content_type) == expected


def test_a_refusal_notice_names_files_by_size_and_by_type_with_the_limits() -> None:
    notice = EvidenceNotice(
        source=EvidenceSource.EMAIL,
        refused=[
            RefusedFile(filename="video.mov", size=30 * MB, reason=RefusalReason.TOO_LARGE),
            RefusedFile(filename="setup.exe", size=9000, reason=RefusalReason.TYPE_NOT_ACCEPTED),
            RefusedFile(filename="more.jpg", size=MB, reason=RefusalReason.CASE_FULL),
        ],
        max_file_bytes=10 * MB,
        max_case_bytes=50 * MB,
        accepted_types=LIMITS.accepted_names(),
    )
    assert refusal_values(notice) == {
        "too_large": "video.mov, more.jpg",
        "not_accepted": "setup.exe",
        "max_file_mb": "10",
        "max_case_mb": "50",
        "accepted_types": "JPEG, PNG, WebP, HEIC, HEIF, PDF, text",
    }


def test_a_photo_is_thumbnailed_from_its_preview_when_no_browser_shows_it_or_it_is_large() -> None:
    small, large = OWN_THUMBNAIL_MAX_BYTES, OWN_THUMBNAIL_MAX_BYTES + 1
    assert [thumbnail_is_preview(t, small) for t in (HEIC, HEIF, JPEG, PNG, WEBP)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert all(thumbnail_is_preview(t, large) for t in (JPEG, PNG, WEBP))
    assert not thumbnail_is_preview(PDF, large) and not thumbnail_is_preview(TEXT, small)

"""Previews of evidence photos, made with the real Pillow and pillow-heif from photos drawn
here: a phone's HEIC becomes an upright JPEG without its GPS position, a large photo a
small one, the same photo the same bytes; a photo that does not decode gets no preview,
and nothing half-written is ever left under a preview's name."""

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from domain.evidence import PREVIEW_EDGES, PreviewSize
from store.evidence_files import EvidenceFiles
from store.evidence_previews import EvidencePreviews, PreviewFailed, render_preview
from tests.photos import (
    SRGB_RED_IN_P3,
    display_p3_photo,
    gps_of,
    heic_photo,
    is_upright_bar,
    jpeg_photo,
)


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("photo", [heic_photo, jpeg_photo], ids=["heic", "jpeg"])
def test_a_phone_photo_becomes_an_upright_jpeg_without_its_gps_position(
    photo: Callable[[int, int], bytes],
) -> None:
    original = photo(1200, 800)
    assert gps_of(original), "the photo drawn carries a GPS position"

    preview = decoded(render_preview(original, PreviewSize.THUMBNAIL))

    assert preview.format == "JPEG" and preview.mode == "RGB"
    # Stored 1200 x 800 and turned a quarter: 800 x 1200, scaled to fit 480.
    assert preview.size == (320, 480)
    assert is_upright_bar(preview)
    assert "exif" not in preview.info and "xmp" not in preview.info
    assert "comment" not in preview.info
    assert dict(preview.getexif()) == {}


def test_the_large_preview_keeps_more_pixels_and_none_is_enlarged() -> None:
    photo = heic_photo(2400, 1600)
    large = decoded(render_preview(photo, PreviewSize.LARGE))
    assert large.size == (1067, PREVIEW_EDGES[PreviewSize.LARGE])
    assert is_upright_bar(large)
    small = decoded(render_preview(heic_photo(120, 80), PreviewSize.LARGE))
    assert small.size == (80, 120)


def test_a_display_p3_photo_is_converted_to_srgb_and_carries_no_profile() -> None:
    photo = display_p3_photo()
    assert decoded(photo).getpixel((32, 32)) == pytest.approx(SRGB_RED_IN_P3, abs=3)

    preview = decoded(render_preview(photo, PreviewSize.THUMBNAIL))

    # Read as sRGB, as every viewer reads a picture without a profile: pure red, the
    # colour the photo shows on a screen that honours its P3 profile.
    red, green, blue = preview.getpixel((32, 32))  # type: ignore[misc]
    assert red >= 250 and green <= 6 and blue <= 6
    assert "icc_profile" not in preview.info


def test_a_photo_whose_profile_cannot_be_read_keeps_its_colours() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 120, 40)).save(
        buffer, format="JPEG", quality=95, icc_profile=b"not an ICC profile"
    )
    preview = decoded(render_preview(buffer.getvalue(), PreviewSize.THUMBNAIL))
    assert preview.getpixel((16, 16)) == pytest.approx((200, 120, 40), abs=4)


def test_transparency_is_flattened_onto_white() -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (60, 40), (0, 0, 0, 0)).save(buffer, format="PNG")
    preview = decoded(render_preview(buffer.getvalue(), PreviewSize.THUMBNAIL))
    assert preview.getpixel((30, 20)) == (255, 255, 255)


def test_the_same_photo_gives_the_same_bytes() -> None:
    photo = heic_photo()
    assert render_preview(photo, PreviewSize.THUMBNAIL) == render_preview(
        photo, PreviewSize.THUMBNAIL
    )


def test_a_preview_is_kept_beside_the_files_named_by_hash_and_size(tmp_path: Path) -> None:
    files = EvidenceFiles(tmp_path / "evidence")
    sha256 = files.keep(heic_photo())
    previews = EvidencePreviews(files)

    path = previews.preview(sha256, PreviewSize.THUMBNAIL)

    assert path == tmp_path / "evidence" / "previews" / sha256[:2] / f"{sha256}-480.jpg"
    made = path.read_bytes()
    assert decoded(made).format == "JPEG"
    # Asked again, the kept file is the answer: not made again, not written again.
    before = path.stat()
    assert previews.preview(sha256, PreviewSize.THUMBNAIL) == path
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert path.read_bytes() == made
    large = previews.preview(sha256, PreviewSize.LARGE)
    assert large.name == f"{sha256}-1600.jpg"
    assert sorted(p.name for p in path.parent.iterdir()) == [large.name, path.name]


def test_a_photo_that_does_not_decode_gets_no_preview_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    files = EvidenceFiles(tmp_path / "evidence")
    # A photo damaged on disk after it was taken: the HEIC's first 400 bytes.
    sha256 = files.keep(heic_photo()[:400])
    previews = EvidencePreviews(files)

    with pytest.raises(PreviewFailed):
        previews.preview(sha256, PreviewSize.THUMBNAIL)

    assert not (tmp_path / "evidence" / "previews").exists()


def test_a_photo_not_kept_has_no_preview(tmp_path: Path) -> None:
    previews = EvidencePreviews(EvidenceFiles(tmp_path / "evidence"))
    with pytest.raises(FileNotFoundError):
        previews.preview("a" * 64, PreviewSize.THUMBNAIL)
    with pytest.raises(ValueError):
        previews.path_of("../../etc/passwd", PreviewSize.THUMBNAIL)

"""Previews of photos kept as evidence: a JPEG rendition of each, made with Pillow the
first time a page asks for it and kept beside the evidence files. Chromium and Firefox
show no HEIC, the format an iPhone photographs in, and a thumbnail made from its
preview shows it; a phone's 4 MB JPEG gets a small one too, so a page of thumbnails does
not download every original.

A preview is the photo turned upright (its EXIF orientation; libheif applies a HEIC's
own rotation as it decodes), scaled to fit its size, flattened onto white where it is
transparent, and saved with no metadata: no EXIF (so no GPS position, camera or time)
and no XMP. A photo in another colour space than sRGB (an iPhone's Display P3) has its
colours converted to sRGB, which every browser, e-mail client and image viewer assumes
of a picture without a profile, so the preview carries no profile either. The same
photo gives the same bytes: the encoder is deterministic, and a
preview once written is served as it is, never made again.
"""

import io
import logging
import threading
import time
import warnings
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from domain.evidence import PREVIEW_EDGES, PreviewSize
from store.evidence_files import EvidenceFiles, write_once

# Importing the sniffer registers the HEIF opener with Pillow.
from store.evidence_sniffing import MAX_IMAGE_PIXELS

log = logging.getLogger("redress.evidence")

# A thumbnail is looked at small; a large preview stands in for the photo itself.
_JPEG_QUALITY = {PreviewSize.THUMBNAIL: 80, PreviewSize.LARGE: 86}
# Decoding a 12-megapixel HEIC holds about 50 MB and a core for most of a second: a page
# of twenty new photos renders them two at a time in a process, not twenty at once.
_RENDERING = threading.BoundedSemaphore(2)
_TRANSPARENT_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_PROFILE_MODES = frozenset({"RGB", "RGBA"})
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class PreviewFailed(Exception):
    """A photo that Pillow cannot decode now: a damaged file, or a codec this
    installation lacks. Nothing is kept for it."""


def render_preview(data: bytes, size: PreviewSize) -> bytes:
    """Returns a JPEG of the photo in `data`, upright, at most `PREVIEW_EDGES[size]`
    pixels a side and never enlarged, without metadata; raises PreviewFailed."""
    edge = PREVIEW_EDGES[size]
    try:
        with _RENDERING, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise PreviewFailed(f"{width}x{height} pixels is over {MAX_IMAGE_PIXELS}")
                # A JPEG decodes at a reduced scale no smaller than the preview: a
                # fraction of the time and memory of the full picture.
                image.draft("RGB", (edge, edge))
                profile = image.info.get("icc_profile") if image.mode in _PROFILE_MODES else None
                upright = _flattened(ImageOps.exif_transpose(image))
        upright.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        preview = _in_srgb(upright, profile)
        # Pillow writes a JPEG comment the photo carried unless told otherwise: the
        # preview carries nothing of what came with the photo.
        preview.info = {}
        out = io.BytesIO()
        preview.save(out, format="JPEG", quality=_JPEG_QUALITY[size], optimize=True)
    except PreviewFailed:
        raise
    except Exception as error:
        # Not decodable now (truncated, damaged, a codec missing): say so, keep nothing.
        raise PreviewFailed(f"{type(error).__name__}: {error}") from error
    return out.getvalue()


def _in_srgb(image: Image.Image, profile: bytes | None) -> Image.Image:
    """Returns the RGB `image` with its colours converted from `profile` to sRGB; as it
    is when it has no profile, or one that LittleCMS cannot read (its pixels are then
    taken to be sRGB already, as a browser would)."""
    if not profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError) as error:
        log.warning(
            "kept a photo's colours as they are: its colour profile is unusable (%s)", error
        )
        return image
    assert converted is not None
    return converted


def _flattened(image: Image.Image) -> Image.Image:
    """Returns `image` in RGB, its transparent parts on white (a JPEG has no alpha)."""
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode not in _TRANSPARENT_MODES:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


class EvidencePreviews:
    """Previews under the evidence directory's `previews/`, each named by its photo's
    SHA-256 and its longest side (`<sha256>-480.jpg`), fanned out as the files are."""

    def __init__(self, files: EvidenceFiles) -> None:
        self.files = files
        self.directory = files.directory / "previews"

    def path_of(self, sha256: str, size: PreviewSize) -> Path:
        """Returns where the photo's preview of `size` is kept; raises ValueError for
        anything that is not a hash."""
        self.files.path_of(sha256)
        return self.directory / sha256[:2] / f"{sha256}-{PREVIEW_EDGES[size]}.jpg"

    def preview(self, sha256: str, size: PreviewSize) -> Path:
        """Returns the path of the photo's preview, made and kept first when there is
        none; raises FileNotFoundError when the photo is not kept, PreviewFailed when it
        does not decode (nothing is written then)."""
        path = self.path_of(sha256, size)
        original = self.files.path_of(sha256)
        if not original.is_file():
            raise FileNotFoundError(original)
        if path.is_file():
            return path
        started = time.perf_counter()
        rendition = render_preview(original.read_bytes(), size)
        # Two requests making it at once write the same bytes; each rename is whole.
        write_once(path, rendition)
        log.info(
            "made the %s preview of %s (%d bytes) in %.0f ms",
            size.value,
            sha256,
            len(rendition),
            (time.perf_counter() - started) * 1000,
        )
        return path

"""Photos as a phone takes them, drawn in the test: a HEIC (pillow-heif encodes it, as an
iPhone's camera does) or a JPEG, held sideways with the orientation saying so, and a GPS
position in its EXIF. No binary fixtures: each test makes the photo it needs.

The picture is a bar, red on the left and blue on the right, stored `width` x `height`;
its orientation (EXIF 6: turn it a quarter clockwise) makes it stand upright, red on
top, blue below, `height` x `width`.
"""

import io
import struct

import pillow_heif
from PIL import Image

# Where the customer stood: Beijing, in EXIF's degrees, minutes and seconds.
GPS_BEIJING = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)}
RED, BLUE = (255, 0, 0), (0, 0, 255)
ORIENTATION_TAG, GPS_IFD = 0x0112, 0x8825
# "Rotate 90 degrees clockwise to show": how a phone held upright stores its pictures.
TURN_CLOCKWISE = 6

pillow_heif.register_heif_opener()


def _sideways_bar(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), RED)
    image.paste(BLUE, (width // 2, 0, width, height))
    return image


def _exif(*, gps: bool) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = TURN_CLOCKWISE
    if gps:
        exif[GPS_IFD] = GPS_BEIJING
    return exif.tobytes()


def heic_photo(width: int = 1200, height: int = 800, *, gps: bool = True) -> bytes:
    """Returns a HEIC photo of the sideways bar, with its orientation and a GPS position
    (pillow-heif stores the orientation as the container's rotation, as iPhones do)."""
    buffer = io.BytesIO()
    _sideways_bar(width, height).save(buffer, format="HEIF", exif=_exif(gps=gps), quality=60)
    return buffer.getvalue()


def jpeg_photo(width: int = 1200, height: int = 800, *, gps: bool = True) -> bytes:
    """Returns a JPEG photo of the sideways bar, with its EXIF orientation and GPS."""
    buffer = io.BytesIO()
    _sideways_bar(width, height).save(buffer, format="JPEG", exif=_exif(gps=gps), quality=80)
    return buffer.getvalue()


def gps_of(data: bytes) -> dict[int, object]:
    """Returns the GPS position in an image's EXIF ({} when it has none)."""
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(GPS_IFD))


def is_upright_bar(image: Image.Image) -> bool:
    """Returns whether `image` shows the bar upright: taller than wide, red on top and
    blue below (allowing for JPEG's colour error)."""
    width, height = image.size
    top = image.getpixel((width // 2, height // 8))
    bottom = image.getpixel((width // 2, height - 1 - height // 8))
    return height > width and _near(top, RED) and _near(bottom, BLUE)


def _near(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(int(p) - c) <= 24 for p, c in zip(pixel, colour, strict=False))


# Display P3 (the iPhone camera's colour space) as colorants adapted to ICC's D50 white,
# with sRGB's tone curve, as Apple's own profile states them.
_P3_COLORANTS = {
    b"rXYZ": (0.515102, 0.241182, -0.001050),
    b"gXYZ": (0.291965, 0.692236, 0.041885),
    b"bXYZ": (0.157153, 0.066581, 0.784378),
}
_D50 = (0.9642, 1.0, 0.8249)
# sRGB's curve as an ICC parametric curve (function type 3): g, a, b, c, d.
_SRGB_CURVE = (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)


def _s15fixed16(*numbers: float) -> bytes:
    return b"".join(struct.pack(">i", round(n * 65536)) for n in numbers)


def display_p3_profile() -> bytes:
    """Returns an ICC profile of Display P3, built here from its published colorants
    (no binary fixture): the profile a phone's photo carries."""
    description = b"Display P3 (test)\0"
    tags = {
        b"desc": b"desc\0\0\0\0" + struct.pack(">I", len(description)) + description + b"\0" * 79,
        b"wtpt": b"XYZ \0\0\0\0" + _s15fixed16(*_D50),
        **{sig: b"XYZ \0\0\0\0" + _s15fixed16(*xyz) for sig, xyz in _P3_COLORANTS.items()},
        b"cprt": b"text\0\0\0\0No copyright\0",
    }
    curve = b"para\0\0\0\0" + struct.pack(">H2x", 3) + _s15fixed16(*_SRGB_CURVE)
    table: list[tuple[bytes, bytes]] = [*tags.items()] + [
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(table)
    directory, data = b"", b""
    for signature, body in table:
        padded = body + b"\0" * (-len(body) % 4)
        directory += signature + struct.pack(">II", offset + len(data), len(body))
        data += padded
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + _s15fixed16(*_D50)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(table)) + directory + data


# sRGB's pure red as Display P3 writes it: a photo of it in P3 is sRGB red on screen.
SRGB_RED_IN_P3 = (234, 51, 35)


def display_p3_photo() -> bytes:
    """Returns a JPEG in Display P3, with its profile, of sRGB's pure red."""
    buffer = io.BytesIO()
    image = Image.new("RGB", (64, 64), SRGB_RED_IN_P3)
    image.save(buffer, format="JPEG", quality=95, icc_profile=display_p3_profile())
    return buffer.getvalue()

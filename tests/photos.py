"""Photos as a phone takes them, drawn in the test: a HEIC (pillow-heif encodes it, as an
iPhone's camera does) or a JPEG, held sideways with the orientation saying so, and a GPS
position in its EXIF. No binary fixtures: each test makes the photo it needs.

The picture is a bar, red on the left and blue on the right, stored `width` x `height`;
its orientation (EXIF 6: turn it a quarter clockwise) makes it stand upright, red on
top, blue below, `height` x `width`.
"""

import io

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

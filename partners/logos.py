"""An organisation's logo: what an upload must be, where it is kept, how it is read back.

A logo is printed at the top of documents (PDF, DOCX, ODT): PNG or JPEG only, the
formats every writer embeds as they are. The check opens the image with Pillow (the
name and the browser's type can lie) after the size cap, so that a 10 MB upload is
refused by its size before anything decodes it, and reads its dimensions from the
header before decoding the pixels, so that a small file holding a huge image (a
decompression bomb) is refused without being decompressed.
"""

import secrets
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from PIL import Image

from config.core.uploads import megabytes

MAX_LOGO_BYTES = 1024 * 1024
# A logo prints about 5 cm wide: 2,000 pixels is 1,000 dpi, far more than print needs.
MAX_LOGO_SIDE = 2000
FORMATS = {"PNG": "png", "JPEG": "jpg"}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg"}

TOO_LARGE = "Le logo pèse {size} Mo : la limite est de 1 Mo. Enregistrez-le en plus petit."
NOT_AN_IMAGE = "Ce fichier n'est pas une image PNG ou JPEG. Déposez le logo au format PNG ou JPEG."
WRONG_FORMAT = (
    "Ce logo est une image {format} : seuls les formats PNG et JPEG sont acceptés. "
    "Enregistrez-le au format PNG ou JPEG."
)
TOO_MANY_PIXELS = (
    "Ce logo mesure {width} × {height} pixels : la limite est de {limit} pixels de côté. "
    "Réduisez-le avant de le déposer."
)

BOMB = (
    "Ce logo compte des centaines de millions de pixels : la limite est de {limit} pixels "
    "de côté. Réduisez-le avant de le déposer."
)


def logo_extension(file) -> str:
    """« png » or « jpg », read from the image itself; a ValidationError in French when
    ``file`` is not a PNG or JPEG logo of at most 1 MB and 2,000 pixels a side."""
    if file.size > MAX_LOGO_BYTES:
        raise ValidationError(TOO_LARGE.format(size=megabytes(file.size)), code="too_large")
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
            if kind not in FORMATS:
                raise ValidationError(
                    WRONG_FORMAT.format(format=kind or "d'un autre format"), code="format"
                )
            if max(width, height) > MAX_LOGO_SIDE:
                raise ValidationError(
                    TOO_MANY_PIXELS.format(width=width, height=height, limit=MAX_LOGO_SIDE),
                    code="too_many_pixels",
                )
            # Decode every pixel: a truncated or damaged file fails here, not in a PDF.
            image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise ValidationError(BOMB.format(limit=MAX_LOGO_SIDE), code="too_many_pixels") from error
    except Exception as error:
        # Pillow raises many kinds of errors on a damaged or foreign file (and
        # DecompressionBombError above its own limit): each means "not a logo".
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    finally:
        file.seek(position)
    return FORMATS[kind]


def validate_logo(file) -> None:
    """On the model field, so that the page and the admin check the same.

    A logo already stored was checked when it came: an edit of its organisation does
    not read it again (nor fails when the storage has lost it).
    """
    if isinstance(file, FieldFile) and file._committed:
        return
    logo_extension(file)


def logo_path(instance, filename):
    """A new unguessable name for every upload, never the one the user sent.

    The extension is the one the forms give after reading the image (``named_by_format``);
    the content type is read from the bytes anyway (``logo_content_type``).
    """
    extension = Path(filename).suffix.lower()
    extension = extension if extension in (".png", ".jpg") else ""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    folder = instance.pk or "nouvelle"
    return f"organisations/{folder}/logo-{stamp}-{secrets.token_hex(8)}{extension}"


def named_by_format(upload):
    """``upload`` checked, named « logo.png » or « logo.jpg » after what it really is."""
    upload.name = f"logo.{logo_extension(upload)}"
    return upload


def logo_content_type(data: bytes) -> str | None:
    """« image/png » or « image/jpeg » from the first bytes of a stored logo."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return CONTENT_TYPES["png"]
    if data.startswith(b"\xff\xd8\xff"):
        return CONTENT_TYPES["jpg"]
    return None

"""Real images for the logo tests: the product opens what it receives with Pillow."""

import io

from PIL import Image, ImageDraw


def image_bytes(image_format: str, size=(240, 90), mode="RGB") -> bytes:
    """A small logo-like image: a blue band and a red disc on white."""
    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((0, 0, width // 3, height), fill=(0, 0, 145))
    draw.ellipse(
        (width // 2, height // 6, width // 2 + height * 2 // 3, height * 5 // 6), fill=(225, 0, 15)
    )
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


PNG_LOGO = image_bytes("PNG")
JPEG_LOGO = image_bytes("JPEG")
GIF_LOGO = image_bytes("GIF", mode="P")

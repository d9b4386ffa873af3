"""The code pictures and avatars as PNG images, for printing.

A PDF cannot rely on an emoji font, so each picture of ``auth.PICTURES`` and each avatar
of ``roster.AVATARS`` is a small PNG under ``tracker/assets/`` (rendered once from Noto
Color Emoji, SIL Open Font Licence; see ``tracker/assets/README.md``). A picture without
a PNG is rendered on the fly from the system's Noto Color Emoji, and without that font
drawn as a plain labelled disc, so printing never fails.

Re-render the committed images:  ``python -m tracker.emoji_images``
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ASSETS = Path(__file__).parent / "assets"
NOTO = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
NOTO_SIZE = 109  # the one size of Noto Color Emoji's bitmaps
SIZE = 128  # pixels of a stored image (square)


def file_name(emoji: str) -> str:
    """ "🐶" -> "1f436.png" (variation selectors left out)."""
    return "-".join(f"{ord(ch):x}" for ch in emoji if ch != "\ufe0f") + ".png"


def _from_font(emoji: str) -> Image.Image | None:
    if not NOTO.exists():
        return None
    try:
        font = ImageFont.truetype(str(NOTO), NOTO_SIZE)
    except OSError:
        return None
    canvas = Image.new("RGBA", (NOTO_SIZE * 2, NOTO_SIZE * 2), (255, 255, 255, 0))
    ImageDraw.Draw(canvas).text((0, 0), emoji, font=font, embedded_color=True)
    box = canvas.getbbox()
    if box is None:
        return None
    return _square(canvas.crop(box))


def _fallback(emoji: str) -> Image.Image:
    """A grey disc with the picture's code point: plain, but never missing."""
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, SIZE - 4, SIZE - 4), fill=(225, 225, 225, 255), outline=(90, 90, 90))
    draw.text(
        (SIZE / 2, SIZE / 2),
        file_name(emoji).removesuffix(".png"),
        fill=(40, 40, 40),
        anchor="mm",
        font=ImageFont.load_default(size=22),
    )
    return image


def _square(image: Image.Image) -> Image.Image:
    side = max(image.size)
    square = Image.new("RGBA", (side, side), (255, 255, 255, 0))
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return square.resize((SIZE, SIZE), Image.LANCZOS)


def render(emoji: str) -> Image.Image:
    """Render ``emoji`` now (Noto Color Emoji, else the fallback disc)."""
    return _from_font(emoji) or _fallback(emoji)


@cache
def png(emoji: str) -> bytes:
    """The PNG for ``emoji``: the committed asset, else rendered now."""
    for folder in ("pictures", "avatars"):
        path = ASSETS / folder / file_name(emoji)
        if path.exists():
            return path.read_bytes()
    buffer = io.BytesIO()
    render(emoji).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def write_assets() -> list[Path]:
    """Render every picture and avatar into tracker/assets/ (run once, commit the PNGs)."""
    from .auth import PICTURES
    from .roster import AVATARS

    written = []
    for folder, emojis in (("pictures", PICTURES), ("avatars", AVATARS)):
        (ASSETS / folder).mkdir(parents=True, exist_ok=True)
        for emoji in emojis:
            image = _from_font(emoji)
            if image is None:
                raise SystemExit(f"{NOTO} is needed to render {emoji!r}")
            path = ASSETS / folder / file_name(emoji)
            image.save(path, format="PNG", optimize=True)
            written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_assets():
        print(written_path)

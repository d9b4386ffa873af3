"""Photos of a pupil's work, made safe before they are stored.

``store_photo`` refuses anything that is not a picture or is too big, turns the picture
upright (EXIF orientation), shrinks it to at most 1600 px, and re-encodes it as JPEG
WITHOUT any metadata (no EXIF, so no GPS location, camera or time). The bytes are kept
once per content hash in ``EvidenceBlob``; each upload gets its own ``Evidence`` row.

This module does no scope check: callers (tracker.checkins) check the actor first.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlmodel import Session

from .models import Evidence, EvidenceBlob

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
JPEG_QUALITY = 85
# A tablet camera makes about 12 megapixels; 50 is plenty and stops decompression bombs
# (a small file that unpacks into gigabytes of pixels).
MAX_PIXELS = 50_000_000
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")  # JPEG includes MPO (phones)
Image.init()  # register every plugin, so ``formats=`` can name them all


REASONS = ("not_an_image", "too_large", "too_many_pixels")


class EvidenceRejected(ValueError):
    """The upload was refused. ``reason`` is one of ``REASONS``:

    - "not_an_image": not a JPEG, PNG, WEBP, GIF (or BMP) picture, or a broken one;
    - "too_large": the file is over ``MAX_UPLOAD_BYTES`` (10 MB);
    - "too_many_pixels": more than ``MAX_PIXELS`` pixels (a decompression bomb is a
      small file that unpacks into gigabytes).
    """

    def __init__(self, reason: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        super().__init__(reason)
        self.reason = reason

    @property
    def message_key(self) -> str:
        """The translated message for a page that tried to save the photo."""
        return f"photo.rejected.{self.reason}"


def _open(data: bytes) -> Image.Image:
    """Open and fully check the picture; raise EvidenceRejected for anything else."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            if probe.width * probe.height > MAX_PIXELS:
                raise EvidenceRejected("too_many_pixels")
            probe.verify()  # checks the file structure without decoding everything
            img = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            img.load()
        except EvidenceRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise EvidenceRejected("too_many_pixels") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise EvidenceRejected("not_an_image") from exc
    return img


def clean_image(data: bytes, max_side: int = MAX_SIDE) -> tuple[bytes, int, int]:
    """Upright, shrunk (to ``max_side``), metadata-free JPEG bytes, width and height.

    Raises EvidenceRejected for anything ``store_photo`` would refuse, so a small
    ``max_side`` gives a preview that says at once whether the photo can be kept."""
    if not data:
        raise EvidenceRejected("not_an_image")
    if len(data) > MAX_UPLOAD_BYTES:
        raise EvidenceRejected("too_large")
    img = _open(data)
    with contextlib.suppress(Exception):  # a broken EXIF block: keep the picture as it is
        img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        img = background
    elif img.mode != "RGB":
        img = img.convert("RGB")
    img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, no icc_profile=: Pillow writes a bare JFIF file.
    img.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), img.width, img.height


def store_photo(session: Session, owner_id: int, data: bytes) -> int:
    """Store a cleaned copy of the picture for ``owner_id``; return the Evidence id."""
    jpeg, width, height = clean_image(data)
    digest = hashlib.sha256(jpeg).hexdigest()
    if session.get(EvidenceBlob, digest) is None:
        session.add(EvidenceBlob(sha256=digest, data=jpeg))
    evidence = Evidence(
        owner_id=owner_id,
        sha256=digest,
        mime="image/jpeg",
        width=width,
        height=height,
        size_bytes=len(jpeg),
    )
    session.add(evidence)
    session.flush()
    return evidence.id


def evidence_bytes(session: Session, evidence_id: int) -> tuple[int, bytes] | None:
    """(owner id, bytes) of a stored photo, or None. No scope check: callers check."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        return None
    blob = session.get(EvidenceBlob, evidence.sha256)
    return evidence.owner_id, (blob.data if blob else b"")

"""Printable sign-in cards (PDF): a class card with the class code and a QR code of the
class link (which carries the group's random link token, not the code), then a cut-out card per pupil with their name, avatar and picture code or PIN.

Pictures and avatars are images (tracker/assets/, see tracker.emoji_images), not emoji
from a font, so the cards print the same everywhere. The text is DejaVu Sans, as in
tracker.talksheet.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from urllib.parse import quote

import segno
from fpdf import FPDF

from .auth import PICTURES
from .class_codes import show_code
from .emoji_images import png
from .i18n import translate
from .pupil_codes import PupilCode
from .talksheet import FONT, FONT_DIR

PUBLIC_URL_ENV = "TRACKER_PUBLIC_URL"
CLASS_PARAM = "klas"  # pages/signin.py opens the class named by ?klas=TOKEN

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 10.0
COLUMNS, ROWS = 2, 4  # pupil cards per page: 8
INK = (35, 35, 35)
GREY = (110, 110, 110)
LINE = (150, 150, 150)
SOFT = (242, 244, 247)


def public_base_url(explicit: str | None = None) -> str | None:
    """The installation's public address: ``explicit``, else TRACKER_PUBLIC_URL, else
    None. "regie.school.nl" becomes "https://regie.school.nl"; no trailing slash."""
    value = (explicit or os.environ.get(PUBLIC_URL_ENV) or "").strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    return value.rstrip("/")


def class_link(link_token: str, base_url: str | None = None) -> str:
    """The link that opens the class on a tablet; relative ("/?klas=TOKEN") without a
    base address. ``link_token``: the group's (tracker.auth.class_link_token), never its
    class code. The page and the command line both build it here."""
    base = public_base_url(base_url) or ""
    return f"{base}/?{CLASS_PARAM}={quote(link_token)}"


def qr_png(data: str, *, scale: int = 10) -> bytes:
    """A QR code of ``data`` as PNG bytes (quiet zone included)."""
    buffer = io.BytesIO()
    segno.make(data, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def _image(pdf: FPDF, emoji: str, x: float, y: float, size: float) -> None:
    pdf.image(io.BytesIO(png(emoji)), x=x, y=y, w=size, h=size)


def _text(
    pdf: FPDF,
    x: float,
    y: float,
    w: float,
    text: str,
    *,
    size: float,
    bold: bool = False,
    align: str = "L",
    color: tuple[int, int, int] = INK,
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.set_xy(x, y)
    pdf.cell(w, size * 0.45, text, align=align)


def _fit(pdf: FPDF, text: str, width: float, size: float, *, bold: bool = True) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width``."""
    while size > 8:
        pdf.set_font(FONT, "B" if bold else "", size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 1
    return size


def _class_page(
    pdf: FPDF,
    tr,
    *,
    school_name: str,
    group_name: str,
    class_code: str,
    link: str,
    kind: str,
) -> None:
    pdf.add_page()
    left, width = 20.0, PAGE_W - 40.0
    _text(pdf, left, 20, width, school_name, size=14, color=GREY, align="C")
    size = _fit(pdf, group_name, width, 34)
    _text(pdf, left, 30, width, group_name, size=size, bold=True, align="C")

    # The class code, big enough to read from the back of the classroom.
    pdf.set_fill_color(*SOFT)
    pdf.set_draw_color(*LINE)
    pdf.rect(left, 50, width, 44, style="DF", round_corners=True, corner_radius=4)
    _text(pdf, left, 55, width, tr("cards.class_code"), size=13, color=GREY, align="C")
    spaced = " ".join(show_code(class_code))  # "A B C D - E F G H"
    _text(
        pdf, left, 66, width, spaced, size=_fit(pdf, spaced, width - 10, 54), bold=True, align="C"
    )

    # QR code of the class link, the link spelled out under it.
    qr_size = 70.0
    pdf.image(io.BytesIO(qr_png(link)), x=(PAGE_W - qr_size) / 2, y=102, w=qr_size, h=qr_size)
    _text(pdf, left, 174, width, tr("cards.scan_or_open"), size=11, color=GREY, align="C")
    _text(pdf, left, 181, width, link, size=_fit(pdf, link, width, 13, bold=False), align="C")

    # How to sign in, in three steps, with pictures a six-year-old can follow.
    _text(pdf, left, 198, width, tr("cards.how_title"), size=16, bold=True)
    step_pin = tr("cards.step_pin") if kind == "pin" else tr("cards.step_picture")
    steps = (tr("cards.step_open"), tr("cards.step_name"), step_pin)
    y = 210.0
    for n, step in enumerate(steps, start=1):
        pdf.set_fill_color(*INK)
        pdf.ellipse(left, y - 1, 9, 9, style="F")
        _text(pdf, left, y + 1.2, 9, str(n), size=13, bold=True, color=(255, 255, 255), align="C")
        pdf.set_font(FONT, "", 13)
        pdf.set_text_color(*INK)
        pdf.set_xy(left + 13, y)
        pdf.multi_cell(width - 13, 6.5, step)
        y = max(pdf.get_y(), y + 9) + 4
    pdf.set_draw_color(*LINE)
    pdf.line(left, 268, left + width, 268)
    pdf.set_xy(left, 271)
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(width, 4.6, tr("cards.teacher_note"))


def _cut_lines(pdf: FPDF, card_w: float, card_h: float, rows: int) -> None:
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=2.5, gap=2)
    bottom = MARGIN + rows * card_h
    for col in range(COLUMNS + 1):
        x = MARGIN + col * card_w
        pdf.line(x, MARGIN - 4, x, bottom + 4)
    for row in range(rows + 1):
        y = MARGIN + row * card_h
        pdf.line(MARGIN - 4, y, PAGE_W - MARGIN + 4, y)
    pdf.set_dash_pattern()
    pdf.set_line_width(0.2)


def _pupil_card(
    pdf: FPDF,
    tr,
    code: PupilCode,
    *,
    x: float,
    y: float,
    w: float,
    group_line: str,
) -> None:
    pad = 5.0
    small = group_line if code.full_name == code.name else f"{code.full_name} · {group_line}"
    inner = w - 2 * pad
    avatar = 17.0
    _image(pdf, code.avatar, x + pad, y + pad, avatar)
    name_x = x + pad + avatar + 4
    name_w = x + w - pad - name_x
    size = _fit(pdf, code.name, name_w, 24)
    _text(pdf, name_x, y + pad + 3, name_w, code.name, size=size, bold=True)
    size = _fit(pdf, small, name_w, 8.5, bold=False)
    _text(pdf, name_x, y + pad + 13, name_w, small, size=size, color=GREY)

    top = y + pad + avatar + 4
    if code.pictures is not None:
        _text(pdf, x + pad, top, inner, tr("cards.my_pictures"), size=9, color=GREY)
        pic = 23.0
        gap = (inner - 3 * pic) / 2
        for n, index in enumerate(code.pictures):
            px = x + pad + n * (pic + gap)
            py = top + 7
            pdf.set_fill_color(*SOFT)
            pdf.set_draw_color(*LINE)
            pdf.rect(px - 1, py - 1, pic + 2, pic + 2, style="DF", round_corners=True)
            _image(pdf, PICTURES[index], px + 1.5, py + 1.5, pic - 3)
            # The tap order in a small disc at the picture's corner.
            pdf.set_fill_color(*INK)
            pdf.ellipse(px - 2.5, py - 2.5, 6, 6, style="F")
            _text(
                pdf,
                px - 2.5,
                py - 1.2,
                6,
                str(n + 1),
                size=9,
                bold=True,
                color=(255,) * 3,
                align="C",
            )
            label = tr(f"cards.picture.{index}")
            _text(pdf, px - 4, py + pic + 2.2, pic + 8, label, size=11, align="C")
            if n < 2:
                _text(
                    pdf,
                    px + pic + 1,
                    py + pic / 2 - 2.5,
                    gap - 2,
                    "→",
                    size=14,
                    color=GREY,
                    align="C",
                )
    elif code.pin is not None:
        _text(pdf, x + pad, top, inner, tr("cards.my_pin"), size=9, color=GREY)
        box, gap = 16.0, 4.0
        start = x + (w - (4 * box + 3 * gap)) / 2
        for n, digit in enumerate(code.pin):
            bx = start + n * (box + gap)
            pdf.set_fill_color(*SOFT)
            pdf.set_draw_color(*LINE)
            pdf.rect(bx, top + 8, box, box + 4, style="DF", round_corners=True)
            _text(pdf, bx, top + 14, box, digit, size=30, bold=True, align="C")
    else:
        pdf.set_fill_color(*SOFT)
        pdf.set_draw_color(*LINE)
        pdf.rect(x + pad, top + 4, inner, 26, style="DF", round_corners=True)
        title = tr("cards.unknown_code") if code.has_code else tr("cards.no_code")
        _text(pdf, x + pad, top + 9, inner, title, size=14, bold=True, align="C")
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*GREY)
        pdf.set_xy(x + pad + 3, top + 17)
        pdf.multi_cell(inner - 6, 4.2, tr("cards.unknown_hint"), align="C")


def cards_pdf(
    *,
    school_name: str,
    group_name: str,
    class_code: str,
    class_link: str,
    codes: Sequence[PupilCode],
    lang: str = "nl",
    kind: str | None = None,
) -> bytes:
    """The class card, then eight cut-out pupil cards per A4 page, as PDF bytes."""

    def tr(key: str, **params: object) -> str:
        return translate(lang, key, **params)

    kind = kind or (codes[0].kind if codes else "picture")
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(tr("cards.pdf_title", group=group_name))
    pdf.set_creator("Regie")
    _class_page(
        pdf,
        tr,
        school_name=school_name,
        group_name=group_name,
        class_code=class_code,
        link=class_link,
        kind=kind,
    )
    card_w = (PAGE_W - 2 * MARGIN) / COLUMNS
    card_h = (PAGE_H - 2 * MARGIN) / ROWS
    group_line = tr("cards.group_line", group=group_name, code=show_code(class_code))
    per_page = COLUMNS * ROWS
    for i, code in enumerate(codes):
        slot = i % per_page
        if slot == 0:
            pdf.add_page()
            on_page = min(per_page, len(codes) - i)
            _cut_lines(pdf, card_w, card_h, rows=-(-on_page // COLUMNS))
        col, row = slot % COLUMNS, slot // COLUMNS
        _pupil_card(
            pdf,
            tr,
            code,
            x=MARGIN + col * card_w,
            y=MARGIN + row * card_h,
            w=card_w,
            group_line=group_line,
        )
    return bytes(pdf.output())

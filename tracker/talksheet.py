"""A talk sheet (PDF) for a coaching talk: agenda and notes per heading, agreements, summary.

fpdf2 with the bundled DejaVu Sans (tracker/fonts, Bitstream Vera licence), so names like
"Zoë" and "Ruşen" print as written. A planned talk gets room to write by hand.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from sqlmodel import Session

from .access import Actor
from .coaching import get_talk
from .i18n import format_date, translate

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVu"


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    return pdf


def _para(pdf: FPDF, text: str, *, size: int = 11, bold: bool = False, gap: float = 1.5) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _lines(pdf: FPDF, n: int) -> None:
    """Ruled lines to write on."""
    pdf.set_draw_color(190, 190, 190)
    for _ in range(n):
        pdf.ln(7)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(4)


def talk_sheet_pdf(*, session: Session, actor: Actor, talk_id: int, lang: str = "nl") -> bytes:
    """The talk sheet as PDF bytes (scope: a coach of the talk's coachee)."""
    talk = get_talk(session=session, actor=actor, talk_id=talk_id)

    def tr(key: str, **params: object) -> str:
        return translate(lang, key, **params)

    pdf = _pdf()
    pdf.set_title(tr("teacher.pdf.title", name=talk.coachee_name))
    _para(pdf, tr("teacher.pdf.title", name=talk.coachee_name), size=16, bold=True, gap=2)
    when = talk.held_at or talk.planned_for
    facts = [
        tr("teacher.pdf.coach", name=talk.coach_name),
        tr(f"teacher.structure.{talk.structure}"),
    ]
    if when:
        facts.append(tr("teacher.pdf.date", date=format_date(when, lang, "long")))
    _para(pdf, " · ".join(facts), size=10, gap=4)

    for section in talk.sections:
        _para(pdf, tr(f"teacher.section.{section}"), size=13, bold=True, gap=1)
        items = [i for i in talk.agenda if i.section == section]
        for item in items:
            _para(pdf, f"•  {item.text}", size=10, gap=0.5)
        note = talk.notes.get(section, "")
        if note:
            pdf.ln(1)
            _para(pdf, tr("teacher.pdf.notes"), size=10, bold=True, gap=0.5)
            _para(pdf, note, size=10)
        elif not talk.held:
            _lines(pdf, 3)
        pdf.ln(2)

    _para(pdf, tr("teacher.pdf.agreements"), size=13, bold=True, gap=1)
    if talk.agreements:
        for a in talk.agreements:
            owner = talk.coachee_name if a.owner_is_coachee else talk.coach_name
            due = tr("teacher.pdf.due", date=format_date(a.due, lang)) if a.due else ""
            done = "☑" if a.done else "☐"
            _para(pdf, f"{done}  {a.text} — {owner}{due}", size=10, gap=0.5)
    else:
        _lines(pdf, 3)
    pdf.ln(2)
    _para(pdf, tr("teacher.pdf.summary"), size=13, bold=True, gap=1)
    if talk.summary:
        _para(pdf, talk.summary, size=11)
    else:
        _lines(pdf, 3)
    return bytes(pdf.output())

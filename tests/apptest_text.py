"""What a person reads on an AppTest page, as one string, for the page tests."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

TEXT_KINDS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "error",
    "success",
    "warning",
)


def page_text(at: AppTest, *, buttons: bool = False, checkboxes: bool = False) -> str:
    """Headings, text, messages, metrics and tables; optionally button and tick-box labels."""
    parts = [str(e.value) for kind in TEXT_KINDS for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [e.value.to_csv() for e in (*at.dataframe, *at.table)]
    if buttons:
        parts += [b.label for b in at.button]
    if checkboxes:
        parts += [c.label for c in at.checkbox]
    return "\n".join(parts)

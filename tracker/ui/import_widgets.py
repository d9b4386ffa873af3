"""The admin's import of the school's pupil export: drop the file, read the preview, apply."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

from tracker import pupil_import
from tracker.access import Actor
from tracker.import_formats import FIELDS, ImportFileError, normalise_header
from tracker.membership import school_today
from tracker.ui.core import date_format, db, t
from tracker.ui.roster_widgets import group_picker

MAX_LISTED = 200  # rows per preview table; the counts above it are complete


def localised_uploader(label: str, *, key: str, types: list[str]):
    """st.file_uploader with its own English ("Drag and drop file here", "Browse files")
    replaced by the user's language (Streamlit has no parameter for these texts)."""
    drop, browse = t("importui.drop_here"), t("importui.browse")
    css_key = key.replace(".", "-")
    st.html(
        f"""<style>
.st-key-{css_key} [data-testid="stFileUploaderDropzoneInstructions"] {{ display: flex; }}
.st-key-{css_key} [data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
.st-key-{css_key} [data-testid="stFileUploaderDropzoneInstructions"] > div::before {{
  content: {json.dumps(drop)}; }}
.st-key-{css_key} [data-testid="stFileUploaderDropzone"] > span > button [data-testid="stMarkdownContainer"] {{
  display: none; }}
.st-key-{css_key} [data-testid="stFileUploaderDropzone"] > span > button::after {{
  content: {json.dumps(browse)}; font-size: 1rem; margin-left: 0.4rem; }}
</style>"""
    )
    with st.container(key=css_key):
        return st.file_uploader(label, type=types, key=key)


def _plan(actor: Actor, data: bytes, name: str, options: dict):
    with db() as session:
        try:
            return pupil_import.plan_import(
                session, actor=actor, data=data, filename=name, **options
            ), None
        except ImportFileError as err:
            return None, t(err.message_key, **err.params)


def mapping_choice(plan: pupil_import.ImportPlan) -> dict[str, str]:
    """Unknown headers (and missing required fields) get a choice, remembered per school."""
    headers = plan.unknown_headers
    if not headers:
        return {}
    choices = ["ignore", *FIELDS]
    chosen: dict[str, str] = {}
    box = st.container(border=True)
    box.markdown(f"**{t('importui.mapping_title')}**")
    if plan.missing_fields:
        box.warning(
            t(
                "importui.missing_columns",
                fields=", ".join(t(f"importui.field_{f}") for f in plan.missing_fields),
            )
        )
    else:
        box.caption(t("importui.mapping_help"))
    cols = box.columns(min(3, len(headers)))
    for i, header in enumerate(headers):
        field = cols[i % len(cols)].selectbox(
            header,
            choices,
            key=f"importui.map.{normalise_header(header)}",
            format_func=lambda f: t(f"importui.field_{f}"),
        )
        chosen[normalise_header(header)] = field
    return chosen


def counts(plan: pupil_import.ImportPlan) -> None:
    cols = st.columns(6)
    for col, name, value in zip(
        cols,
        ("new", "changed", "unchanged", "leaving", "bad", "skipped"),
        (
            len(plan.new),
            len(plan.changed),
            len(plan.unchanged),
            len(plan.leaving),
            len(plan.bad),
            plan.skipped + plan.duplicates,
        ),
        strict=True,
    ):
        col.metric(t(f"importui.count_{name}"), value)


def _lines(rows: list[pupil_import.PupilLine], *, with_change: bool = False) -> pd.DataFrame:
    out = []
    for r in rows[:MAX_LISTED]:
        row = {
            t("importui.col_line"): r.line or "",
            t("importui.field_pupil_number"): r.pupil_number,
            t("importui.col_name"): r.name,
            t("importui.field_group_name"): r.group,
        }
        if with_change:
            row[t("importui.col_change")] = ", ".join(
                t(f"importui.change_{c}", group=r.from_group) for c in r.changes
            )
        out.append(row)
    return pd.DataFrame(out)


def details(plan: pupil_import.ImportPlan) -> None:
    if plan.bad:
        with st.expander(t("importui.bad_title", count=len(plan.bad)), expanded=True):
            # A plain table: the reasons are sentences to read (and to select and copy).
            st.table(
                pd.DataFrame(
                    [
                        {
                            t("importui.col_line"): b.line,
                            t("importui.col_reason"): t(b.reason_key, **b.params),
                        }
                        for b in plan.bad[:MAX_LISTED]
                    ]
                ),
                hide_index=True,
                border="horizontal",
            )
            if len(plan.bad) > MAX_LISTED:
                st.caption(t("importui.more", count=len(plan.bad) - MAX_LISTED))
            st.download_button(
                t("importui.bad_download"),
                pupil_import.bad_rows_csv(plan, t),
                file_name=t("importui.bad_file_name"),
                mime="text/csv",
                key="importui.bad_download",
            )
    for name, rows, change in (
        ("changed", plan.changed, True),
        ("leaving", plan.leaving, True),
        ("new", plan.new, False),
    ):
        if rows:
            with st.expander(t(f"importui.list_{name}", count=len(rows))):
                st.dataframe(_lines(rows, with_change=change), hide_index=True, width="stretch")
                if len(rows) > MAX_LISTED:
                    st.caption(t("importui.more", count=len(rows) - MAX_LISTED))


def new_groups(plan: pupil_import.ImportPlan) -> bool:
    """The groups the file names that do not exist yet; True when the admin creates them."""
    if not plan.new_groups:
        return False
    box = st.container(border=True)
    box.markdown(f"**{t('importui.new_groups_title', count=len(plan.new_groups))}**")
    for g in plan.new_groups:
        years = "/".join(str(y) for y in g.year_levels) or "?"
        box.markdown(f"- {t('importui.new_group_line', name=g.name, years=years, count=g.pupils)}")
    return box.checkbox(t("importui.create_groups"), key="importui.create_groups")


def import_screen(actor: Actor) -> None:
    st.caption(t("importui.intro"))
    upload = localised_uploader(
        t("importui.file"), key="importui.file", types=["csv", "txt", "xlsx", "xml"]
    )
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    options: dict = {"create_groups": bool(st.session_state.get("importui.create_groups"))}
    plan, error = _plan(actor, data, name, options)
    if plan is not None and not plan.whole_school:
        st.info(t("importui.no_group_column"))
        group = group_picker(actor, key="importui.group_id")
        if group is None:
            return
        options["group_id"] = group.id
        plan, error = _plan(actor, data, name, options)
    if error:
        st.error(error)
        return
    mapping = mapping_choice(plan)
    if mapping:
        options["mapping"] = mapping
        plan, error = _plan(actor, data, name, options)
        if error:
            st.error(error)
            return
    if not plan.readable:
        return
    counts(plan)
    create = new_groups(plan)
    if plan.new_groups and create != options["create_groups"]:
        st.rerun()  # the preview follows the tick at once
    details(plan)
    _apply_form(actor, data, name, options, plan)


def _apply_form(actor: Actor, data: bytes, name: str, options: dict, plan) -> None:
    digest = hashlib.sha256(
        data + json.dumps(options, sort_keys=True, default=str).encode()
    ).hexdigest()
    done = st.session_state.get("importui.done")
    if done and done["digest"] == digest:
        st.success(t("importui.applied", **done["counts"]))
        return
    with st.form("importui.apply", clear_on_submit=False, border=True):
        day = st.date_input(
            t("importui.on"), value=school_today(), format=date_format(), key="importui.on"
        )
        leavers = True
        if plan.leaving:
            leavers = st.checkbox(
                t("importui.mark_leavers", count=len(plan.leaving)),
                value=True,
                key="importui.leavers",
            )
        go = st.form_submit_button(
            t("importui.apply", count=len(plan.new) + len(plan.changed)), type="primary"
        )
    if not go:
        return
    bar = st.progress(0.0, text=t("importui.busy"))
    with db() as session:
        try:
            result = pupil_import.apply_import(
                session,
                actor=actor,
                data=data,
                filename=name,
                leavers=leavers,
                on=day,
                progress=lambda share: bar.progress(share, text=t("importui.busy")),
                **options,
            )
        except ImportFileError as err:
            bar.empty()
            st.error(t(err.message_key, **err.params))
            return
    bar.empty()
    counts_done = {
        "added": result.added,
        "changed": result.changed,
        "left": result.left,
        "groups": result.created_groups,
        "bad": len(result.plan.bad),
    }
    # The same file and options again would change nothing: show what was done instead.
    st.session_state["importui.done"] = {"digest": digest, "counts": counts_done}
    st.rerun()

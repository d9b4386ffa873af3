"""School settings: characteristics (for the board), signal thresholds, bouw mapping."""

import streamlit as st

from tracker.models import Role
from tracker.ui.admin_widgets import school_form
from tracker.ui.core import require_actor, t

actor = require_actor(Role.admin, Role.leader)
st.title(f"🏫 {t('nav.admin_school')}")
school_form(actor)

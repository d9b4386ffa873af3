"""Import the school's pupils from the administration's export (CSV, Excel or EDEXML)."""

import streamlit as st

from tracker.models import Role
from tracker.ui.core import require_actor, t
from tracker.ui.import_widgets import import_screen

actor = require_actor(Role.admin)
st.title(f"📥 {t('nav.admin_import')}")
import_screen(actor)

"""Static CSS for pupil screens: big touch targets (>= 48 px) and a larger font.

Only static CSS is injected here; never user text.
"""

from __future__ import annotations

import streamlit as st

_PUPIL_CSS = """
<style>
/* Larger text for young readers on a tablet */
.stApp [data-testid="stMarkdownContainer"] p,
.stApp [data-testid="stMarkdownContainer"] li,
.stApp [data-testid="stText"],
.stApp label p { font-size: 1.15rem; line-height: 1.5; }

/* Every button, link button and form button: at least 48 px, easy to hit */
.stApp .stButton button,
.stApp .stFormSubmitButton button,
.stApp .stLinkButton a,
.stApp .stDownloadButton button,
.stApp [data-testid="stPageLink"] a {
  min-height: 52px; min-width: 52px; padding: 0.5rem 1.1rem;
  font-size: 1.15rem; border-radius: 14px;
}
.stApp .stButton button p, .stApp .stFormSubmitButton button p { font-size: 1.15rem; }

/* The pupil's pages in the top navigation: a whole link is easy to hit (the header is 60 px) */
.stApp [data-testid="stTopNavLink"] { min-height: 48px; align-items: center; }

/* Choice chips, expanders and drop-downs: big enough for a finger */
.stApp .stButtonGroup button, .stApp button[data-variant="segmented_control"], .stApp button[data-variant="pills"] { min-height: 52px; padding: 0.4rem 1rem; font-size: 1.1rem; }
.stApp [data-testid="stExpander"] summary { min-height: 52px; align-items: center; }
.stApp [data-baseweb="select"] > div { min-height: 48px; }

/* The photo box: the remove (x) and add (+) buttons next to a chosen file */
.stApp [data-testid="stFileUploader"] button { min-height: 48px; min-width: 48px; }

/* Streamlit's own English hints ("Press Enter to apply", "40MB per file"): not for a Dutch
   eight-year-old on a tablet (a tap elsewhere applies the text; the service checks size) */
.stApp [data-testid="InputInstructions"],
.stApp [data-testid="stFileUploaderDropzoneInstructions"] { display: none; }

/* Inputs, tick boxes and choices: big enough for a finger */
.stApp input, .stApp textarea { font-size: 1.15rem !important; min-height: 48px; }
.stApp [data-testid="stDateInputField"],
.stApp [data-testid="stTextInputRootElement"],
.stApp div:has(> div > input[type="text"]),
.stApp div:has(> input[type="text"]) { height: auto; min-height: 48px; }
.stApp [data-testid="stCheckbox"] label,
.stApp [data-testid="stRadio"] label { min-height: 48px; align-items: center; }

/* The four-step scale: large picture buttons */
.stApp [class*="st-key-levelpick"] .stButton button { min-height: 112px; width: 100%; }
.stApp [class*="st-key-levelpick"] .stButton button p { font-size: 1.35rem; white-space: pre-line; }

/* Goal choice on the check-in screen */
.stApp [class*="st-key-goalpick"] .stButton button { min-height: 72px; width: 100%; }

/* The quiet sign-out at the top and its question */
.stApp [class*="st-key-pupilbar"] .stButton button { min-height: 48px; font-size: 1rem; }
.stApp [class*="st-key-signoutask"] .stButton button { min-height: 56px; }

/* Big date buttons (a goal's date) */
.stApp [class*="st-key-datechoice"] button { min-height: 56px; }

/* Charts: no toolbar. Streamlit's own chart toolbar ("Show data", "Download as PNG",
   "Copy Vega-Lite spec", "Fullscreen") speaks English and has no option to turn it off
   (vega-embed's menu is already off; usermeta.embedOptions only passes theme, renderer
   and padding through). */
.stApp [data-testid="stFullScreenFrame"]:has([data-testid="stVegaLiteChart"])
  [data-testid="stElementToolbar"] { display: none !important; }

/* Goal cards */
.stApp [class*="st-key-goalcard"] { border-radius: 18px; }
</style>
"""


def apply_pupil_style() -> None:
    """Inject the pupil CSS (static, no user content)."""
    st.html(_PUPIL_CSS)


_BASE_CSS = """
<style>
/* Staff use tablets too: every button at least 44 px high for a finger. */
.stApp .stButton button, .stApp .stFormSubmitButton button,
.stApp .stDownloadButton button, .stApp .stLinkButton a { min-height: 44px; }
/* A pupil's name in the class overview opens their page: make it look like a link. */
.stApp [class*="st-key-pupilrow"] .stButton button p {
  color: #2E7D6B; font-weight: 600; text-decoration: underline; text-underline-offset: 3px;
}
</style>
"""


def apply_base_style() -> None:
    """CSS for every screen (static, no user content)."""
    st.html(_BASE_CSS)


_ENROLLED_CSS = """
<style>
/* A class tablet enrolled to a group: no sidebar (no language switch, no other class). */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
</style>
"""


def apply_enrolled_style() -> None:
    """CSS for a tablet enrolled to a group (static, no user content)."""
    st.html(_ENROLLED_CSS)

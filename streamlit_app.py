"""Regie. Run with `streamlit run streamlit_app.py`.

Run as the Streamlit script, this file is the router: page config, sign-in gate, the
pages of the signed-in role, st.navigation(...).run(). Imported by `streamlit run` as
a module, it also declares the ASGI app with the routes that set the staff cookie.
"""

import streamlit as st

if __name__ == "__main__":
    from tracker.ui.router import run

    run()
else:
    from tracker.ui.server import disable_pages_directory, routes

    disable_pages_directory()
    app = st.App(__file__, routes=routes())

"""HTTP routes beside the Streamlit app: they set and clear the staff session cookie
and the class tablet's device cookie (tracker.devices).

The browser reaches them through a redirect sent from the script (see session.py).
The cookie is HttpOnly, SameSite=Lax, signed (itsdangerous) and backed by a
StaffSession row with a server-side expiry, so a reload keeps a staff member signed in
for the working day and a sign-out ends it everywhere.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from tracker import auth, devices
from tracker.db import make_engine, session_scope

SESSION_PATH = "/regie/session"
_PAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")
SIGNOUT_PATH = "/regie/signout"

_engine = None


def _db():
    global _engine
    if _engine is None:
        _engine = make_engine()
    return session_scope(_engine)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def start_session(request: Request) -> RedirectResponse:
    ticket = request.query_params.get("ticket", "")
    with _db() as session:
        redeemed = auth.redeem_ticket(session, ticket)
    # Back to the page a deep link pointed at (a page name only: never another site).
    target = request.query_params.get("next", "")
    home = "/" + target if _PAGE_NAME.fullmatch(target) else "/"
    response = RedirectResponse(home, status_code=303)
    if redeemed is not None:
        cookie, max_age = redeemed
        response.set_cookie(
            auth.COOKIE_NAME,
            cookie,
            max_age=max_age,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path="/",
        )
    return response


async def end_session(request: Request) -> RedirectResponse:
    with _db() as session:
        auth.end_staff_session(session, request.cookies.get(auth.COOKIE_NAME))
    # After single sign-on, continue to Streamlit's own logout to drop its identity cookie.
    target = "/auth/logout" if request.query_params.get("sso") else "/"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(auth.COOKIE_NAME, path="/")
    return response


def _device_response(request: Request, redeemed: tuple[str, int] | None) -> RedirectResponse:
    """The device cookie for a redeemed ticket or code. A tablet that joins a group leaves
    no staff session behind: the teacher who enrolled it is signed out on it."""
    if redeemed is None:
        return RedirectResponse(f"/?{devices.FAILED_PARAM}={devices.FAILED_VALUE}", status_code=303)
    cookie, max_age = redeemed
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        devices.COOKIE_NAME,
        cookie,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(auth.COOKIE_NAME, path="/")
    return response


def _end_staff_here(session, request: Request) -> None:
    auth.end_staff_session(session, request.cookies.get(auth.COOKIE_NAME))


async def enrol_device(request: Request) -> RedirectResponse:
    """GET /regie/device?ticket=...: the tablet the teacher is signed in on."""
    with _db() as session:
        redeemed = devices.redeem_ticket(session, request.query_params.get("ticket", ""))
        if redeemed is not None:
            _end_staff_here(session, request)
    return _device_response(request, redeemed)


async def enrol_by_code(request: Request) -> RedirectResponse:
    """GET /regie/enrol?code=...: another tablet, from the QR code or a typed code."""
    with _db() as session:
        redeemed = devices.redeem_code(session, request.query_params.get("code", ""))
        if redeemed is not None:
            _end_staff_here(session, request)
    return _device_response(request, redeemed)


async def forget_device(request: Request) -> RedirectResponse:
    """GET /regie/device/forget: this browser is no class tablet any more."""
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(devices.COOKIE_NAME, path="/")
    return response


def disable_pages_directory() -> None:
    """Our pages/ folder holds st.navigation pages, not Streamlit's old automatic
    multipage folder. Without this, the very first run in a fresh process would list
    and run pages/*.py directly, around the router's sign-in gate."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def routes() -> list[Route]:
    return [
        Route(SESSION_PATH, start_session, methods=["GET"]),
        Route(SIGNOUT_PATH, end_session, methods=["GET"]),
        Route(devices.DEVICE_PATH, enrol_device, methods=["GET"]),
        Route(devices.ENROL_PATH, enrol_by_code, methods=["GET"]),
        Route(devices.FORGET_PATH, forget_device, methods=["GET"]),
    ]

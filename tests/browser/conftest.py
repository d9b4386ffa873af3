"""Browser tests: a real `streamlit run` on a free loopback port with a temporary
database, driven by Playwright in Debian's Chromium (launched by path).

Without Chromium these tests are skipped, loudly. CI sets REGIE_REQUIRE_BROWSER=1, which
turns a missing browser into a failure. Screenshots go to test-artifacts/screenshots/
(the README shows some of them).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SHOTS = ROOT / "docs" / "screenshots"
TABLET = {"width": 768, "height": 1024}
TABLET_LANDSCAPE = {"width": 1024, "height": 768}
LAPTOP = {"width": 1366, "height": 900}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("REGIE_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = (
            "\n" + "!" * 78 + "\n!! BROWSER TESTS SKIPPED: no Chromium found. Install it with "
            "`apt-get install chromium`\n!! (or set REGIE_CHROMIUM=/path/to/chromium).\n" + "!" * 78
        )
        if os.environ.get("REGIE_REQUIRE_BROWSER"):
            pytest.fail(message)
        print(message, file=sys.stderr)
        pytest.skip("no Chromium found: browser tests skipped (see message above)")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveApp:
    def __init__(self, url: str, db_url: str, proc: subprocess.Popen, log: Path):
        self.url, self.db_url, self.proc, self.log = url, db_url, proc, log


def start_app(
    tmp: Path,
    *,
    demo: bool,
    extra_env: dict | None = None,
    secrets_toml: str | None = None,
    port: int | None = None,
    script: str = "streamlit_app.py",
) -> LiveApp:
    """Start `streamlit run <script>` (the app) on a fresh SQLite file (optionally the demo)."""
    db_url = f"sqlite:///{tmp / 'browser.sqlite3'}"
    env = {**os.environ, "TRACKER_DATABASE_URL": db_url, **(extra_env or {})}
    python = sys.executable
    if demo:
        subprocess.run(
            [python, "-m", "tracker", "demo"], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = port or _free_port()
    workdir = ROOT
    if secrets_toml is not None:
        # st.secrets reads .streamlit/secrets.toml of the working directory; give this
        # server its own copy of the app so the repository's files stay untouched.
        workdir = tmp / "app"
        shutil.copytree(
            ROOT,
            workdir,
            ignore=shutil.ignore_patterns(
                ".venv", ".git", "test-artifacts", "db", "__pycache__", ".pytest_cache"
            ),
        )
        shutil.copytree(ROOT / "db", workdir / "db", ignore=shutil.ignore_patterns("*.sqlite3*"))
        (workdir / ".streamlit" / "secrets.toml").write_text(secrets_toml)
    log = tmp / "streamlit.log"
    proc = subprocess.Popen(
        [
            python,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ],
        cwd=workdir,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return LiveApp(url, db_url, proc, log)
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError("streamlit did not start:\n" + log.read_text()[-3000:])


def stop_app(app: LiveApp) -> None:
    app.proc.terminate()
    try:
        app.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        app.proc.kill()


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory, chromium) -> LiveApp:
    app = start_app(tmp_path_factory.mktemp("demo_app"), demo=True)
    yield app
    stop_app(app)


@pytest.fixture(scope="session")
def playwright_browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(playwright_browser):
    contexts = []

    def make(viewport=LAPTOP, locale="nl-NL", **kw):
        ctx = playwright_browser.new_context(viewport=viewport, locale=locale, **kw)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def wait_idle(page) -> None:
    """Wait until the Streamlit script has finished its run."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000
    )
    page.wait_for_timeout(250)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000
    )


def shot(page, name: str, *, docs: bool = False) -> Path:
    """Screenshot the whole page. Streamlit scrolls inside its main area, so the window
    is made as tall as the content for the shot (same width), then put back."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        "Math.max(window.innerHeight, ...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stAppViewContainer]')].map(e => e.scrollHeight))"
    )
    page.mouse.move(0, 0)  # no hover toolbar over a chart
    if viewport and height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(height, 6000)})
        page.wait_for_timeout(600)  # charts re-layout for the new size
        wait_idle(page)
    page.screenshot(path=str(path), full_page=True)
    if viewport and height > viewport["height"]:
        page.set_viewport_size(viewport)
        wait_idle(page)
    if docs:
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS_SHOTS / path.name)
    return path


def click_button(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=False).first.click()
    wait_idle(page)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

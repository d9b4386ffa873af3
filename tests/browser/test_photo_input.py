"""The pupil's photo control in a real browser on a 768x1024 touch tablet.

A tiny page (tests/browser/photo_input_page.py) mounts ``photo_input`` and prints what
arrived in Python. Playwright chooses files on the control's hidden ``<input type=file>``
as the tablet's own chooser would: a JPEG shows a preview and its exact bytes arrive; a
16 MB file is refused in the browser with a Dutch message and never sent; a Windows
program gets the "only photos" message. The page shows no English widget text, and the
pupil's growth chart has no (English) toolbar.
"""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from PIL import Image, ImageDraw

from tests.browser.conftest import ROOT, TABLET, shot, start_app, stop_app, wait_idle

PAGE_SCRIPT = "tests/browser/photo_input_page.py"
CHOOSE = "📷 Foto maken of kiezen"
FORBIDDEN = ("Upload", "Take Photo", "Clear photo", "Browse files", "Drag and drop", "Show data")

# Every text a person could meet: visible text, also inside (open) shadow roots such as the
# component's, and the labels a screen reader or a long press shows.
SEEN_TEXT = """() => {
  const out = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (["SCRIPT", "STYLE", "NOSCRIPT"].includes(node.tagName)) return;
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden") return;
      for (const name of ["aria-label", "title", "placeholder", "alt"]) {
        if (node.getAttribute(name)) out.push(node.getAttribute(name));
      }
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    for (const child of node.childNodes) walk(child);
  };
  walk(document.body);
  return out.join("\\n");
}"""


@pytest.fixture(scope="module")
def photo_app(tmp_path_factory, chromium):
    app = start_app(
        tmp_path_factory.mktemp("photo_app"),
        demo=False,
        script=PAGE_SCRIPT,
        extra_env={"PYTHONPATH": str(ROOT)},
    )
    yield app
    stop_app(app)


@pytest.fixture
def tablet(photo_app, new_page):
    page = new_page(viewport=TABLET, has_touch=True)
    page.goto(photo_app.url)
    wait_idle(page)
    page.get_by_role("button", name=CHOOSE).wait_for()
    return page


def _drawing(path, size=(2400, 1800)) -> bytes:
    img = Image.new("RGB", size, (250, 246, 236))
    ImageDraw.Draw(img).ellipse((600, 300, 1800, 1500), outline=(40, 40, 160), width=40)
    img.save(path, "JPEG", quality=90)
    return path.read_bytes()


def _arrived(page, text: str) -> None:
    page.get_by_text(re.compile("^arrived: " + re.escape(text))).wait_for()
    wait_idle(page)


def _height(page, name: str) -> float:
    return page.get_by_role("button", name=name).bounding_box()["height"]


def _no_english(page) -> str:
    seen = page.evaluate(SEEN_TEXT)
    assert [word for word in FORBIDDEN if word.lower() in seen.lower()] == [], seen
    return seen


def test_choose_a_photo_see_it_and_its_bytes_arrive(tablet, tmp_path):
    page = tablet
    choose = page.get_by_role("button", name=CHOOSE).bounding_box()
    assert choose["height"] >= 56 and choose["width"] >= 600  # one big, full-width button
    file_input = page.locator('input[type="file"]')
    assert file_input.get_attribute("accept") == "image/*"
    assert file_input.get_attribute("capture") is None  # the photo library stays possible
    _no_english(page)
    shot(page, "photo-input-01-empty")

    data = _drawing(tmp_path / "mijn-werk.jpg")
    file_input.set_input_files(tmp_path / "mijn-werk.jpg")
    _arrived(page, f"mijn-werk.jpg {len(data)} bytes sha256={hashlib.sha256(data).hexdigest()}")
    preview = page.get_by_role("img", name="Jouw foto")
    preview.wait_for()
    assert preview.evaluate("img => img.naturalWidth") > 100  # a real picture is shown
    assert _height(page, "Andere foto") >= 48 and _height(page, "Foto weghalen") >= 48
    assert not page.get_by_role("button", name=CHOOSE).is_visible()
    assert "Foto weghalen" in _no_english(page)  # the check reads inside the component too
    shot(page, "photo-input-02-chosen")

    # "Andere foto" opens the tablet's chooser again; the new photo replaces the old one
    second = tmp_path / "tekening.png"
    Image.new("RGB", (300, 200), (200, 40, 40)).save(second, "PNG")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Andere foto").tap()
    chooser.value.set_files(second)
    _arrived(page, f"tekening.png {second.stat().st_size} bytes")

    page.get_by_role("button", name="Foto weghalen").tap()
    _arrived(page, "nothing")
    page.get_by_role("button", name=CHOOSE).wait_for()
    assert not preview.is_visible()


def test_a_file_over_15_mb_is_refused_in_dutch_before_sending(tablet, tmp_path):
    page = tablet
    big = tmp_path / "groot.jpg"
    big.write_bytes(b"\xff\xd8\xff\xe0" + bytes(16 * 1024 * 1024))
    page.locator('input[type="file"]').set_input_files(big)
    page.get_by_role("alert").filter(has_text="Deze foto is te groot").wait_for()
    _arrived(page, "groot.jpg refused=too_large")  # kept as a refused choice, no bytes
    assert _height(page, "Foto weghalen") >= 48
    _no_english(page)
    shot(page, "photo-input-03-too-big")


def test_a_program_is_not_a_photo(tablet, tmp_path):
    page = tablet
    program = ROOT / "tests" / "fixtures" / "not_a_photo.jpg"  # a Windows .exe (MZ ...)
    exe = tmp_path / "spelletje.exe"
    exe.write_bytes(program.read_bytes())
    page.locator('input[type="file"]').set_input_files(exe)
    _arrived(page, f"spelletje.exe {exe.stat().st_size} bytes")  # handed to Python anyway
    page.get_by_role("alert").filter(has_text="Dit is geen foto").wait_for()
    assert "JPG, PNG, WEBP of GIF" in page.get_by_role("alert").inner_text()
    assert not page.get_by_role("img", name="Jouw foto").is_visible()
    shot(page, "photo-input-04-not-a-photo")


def test_pixel_bomb_is_named_in_the_control(tablet, tmp_path):
    page = tablet
    bomb = tmp_path / "bom.png"
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000), 0).save(out, format="PNG", optimize=True)
    bomb.write_bytes(out.getvalue())
    page.locator('input[type="file"]').set_input_files(bomb)
    _arrived(page, "bom.png")
    page.get_by_role("alert").filter(has_text="te veel pixels").wait_for()


def test_growth_chart_has_no_english_toolbar(photo_app, new_page):
    page = new_page(viewport=TABLET, has_touch=True)
    page.goto(photo_app.url + "/?chart=1")
    wait_idle(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]')
    chart.wait_for()
    chart.hover()  # the toolbar shows on hover (and on a tap)
    chart.tap()
    page.wait_for_timeout(500)
    assert page.locator('[data-testid="stElementToolbar"]').count() == 1  # the test has teeth
    assert not page.locator('[data-testid="stElementToolbar"]').is_visible()
    assert not page.get_by_role("button", name="Show data").is_visible()
    _no_english(page)
    shot(page, "photo-input-05-chart")

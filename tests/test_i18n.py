import re

from tracker.i18n import LOCALES, catalog, pick_locale, translate

PLACEHOLDER = re.compile(r"{(\w+)}")


def test_both_catalogs_have_every_key():
    nl, en = set(catalog("nl")), set(catalog("en"))
    assert nl - en == set(), f"missing in English: {sorted(nl - en)}"
    assert en - nl == set(), f"missing in Dutch: {sorted(en - nl)}"
    assert len(nl) > 50


def test_placeholders_match_between_languages():
    for key, text in catalog("nl").items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(catalog("en")[key])), key


def test_no_empty_translations():
    for lang in LOCALES:
        assert [k for k, v in catalog(lang).items() if not v.strip()] == []


def test_browser_language_picks_and_falls_back_to_dutch():
    assert pick_locale("en-GB,en;q=0.9") == "en"
    assert pick_locale("nl-NL,nl;q=0.9,en;q=0.8") == "nl"
    assert pick_locale("de-DE") == "nl"
    assert pick_locale(None) == "nl"
    assert translate("en", "app.sign_out") == "Sign out"
    assert translate("nl", "app.sign_out") == "Uitloggen"
    assert translate("en", "app.signed_in_as", name="Sam") == "Signed in as Sam"

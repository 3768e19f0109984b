"""The catalogs: every interface string extracted, and translated into every shipped language."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from wsapp.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "wsapp" / "translations"
KEYWORDS = ["-k", "_l", "-k", "N_", "-k", "N_plural:1,2", "-k", "lazy_ngettext:1,2"]
TRANSLATED = [lang.locale for lang in LANGUAGES if lang.locale != "en"]


def read(path: Path, locale: str | None = None):
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def msgids(catalog) -> set:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set:
    """The strings the sources mark now, extracted exactly as `make translations` does."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         *KEYWORDS, "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return msgids(read(out))


def test_the_template_is_up_to_date_with_the_sources(extracted):
    committed = msgids(read(FOLDER / "messages.pot"))
    assert len(extracted) > 400
    new, gone = extracted - committed, committed - extracted
    assert not new and not gone, (
        f"run `make translations`: new strings {sorted(map(str, new))[:10]}, "
        f"gone {sorted(map(str, gone))[:10]}"
    )


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_string_is_translated(locale, extracted):
    catalog = read(FOLDER / locale / "LC_MESSAGES" / "messages.po", locale)
    assert msgids(catalog) == extracted, "run `make translations`"
    untranslated = [m.id for m in catalog if m.id and not all(_forms(m))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {locale}: {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {locale}: {fuzzy[:5]}"
    assert not catalog.fuzzy  # the header too: a fuzzy catalog is not compiled


@pytest.mark.parametrize("locale", TRANSLATED)
def test_placeholders_and_plurals_match(locale):
    catalog = read(FOLDER / locale / "LC_MESSAGES" / "messages.po", locale)
    # Babel's checks: the same %(name)s placeholders, the right number of plural forms
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert not problems, problems
    plurals = [m for m in catalog if m.pluralizable]
    assert plurals and all(len(m.string) == catalog.num_plurals for m in plurals)


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]

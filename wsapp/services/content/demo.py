"""The demo content: the two seed workshops, transcribed into the content format."""

from pathlib import Path

import yaml

from wsapp.models import Workshop
from wsapp.services.content.site import load_site

DEMO_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "demo.yaml"


def demo_content() -> dict:
    """The demo file, parsed."""
    return yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))


def load_demo() -> list[Workshop]:
    """Create or update the demo workshops (no commit)."""
    return load_site(demo_content())

"""Every DSFR icon class the pages use is drawn by a style sheet the pages load: an icon
class without its rule shows an empty square in front of the button's text."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ICON = re.compile(r"\bfr-icon-[a-z0-9-]+")
STYLESHEET = re.compile(r"""<link rel="stylesheet" href="\{% static '([^']+)' %\}">""")


def used_icons() -> set[str]:
    sources = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/js/*.js")]
    for app in ("conventions", "activity", "partners", "config"):
        sources += ROOT.glob(f"{app}/**/*.py")
    return {name for source in sources for name in ICON.findall(source.read_text())}


def drawn_icons() -> str:
    base = (ROOT / "templates/base.html").read_text()
    return "".join((ROOT / "static" / href).read_text() for href in STYLESHEET.findall(base))


def test_every_icon_class_used_has_its_rule_in_a_loaded_style_sheet():
    css = drawn_icons()
    used = used_icons()
    assert "fr-icon-add-line" in used  # the « Ajouter » buttons of the lists
    missing = sorted(name for name in used if f".{name}:before" not in css)
    assert not missing, f"Icônes sans règle CSS chargée : {missing}"

"""The French catalogue is complete and its committed .mo matches the .po."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def parse_po(path):
    """Return [(msgid, [msgstr...], flags, msgctxt)] for every entry but the header."""
    entries, current, key, flags, context = [], None, None, "", None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith("msgctxt "):
            context = ast.literal_eval(line.partition(" ")[2])
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
            if line.startswith("msgid "):
                current = {"msgid": "", "msgstr": [], "flags": flags, "msgctxt": context}
                flags, context = "", None
            key, _, literal = line.partition(" ")
            value = ast.literal_eval(literal)
            if key == "msgid":
                current["msgid"] = value
            elif key.startswith("msgstr"):
                current["msgstr"].append(value)
        elif line.startswith('"') and current is not None:
            value = ast.literal_eval(line)
            if key == "msgid":
                current["msgid"] += value
            elif key.startswith("msgstr"):
                current["msgstr"][-1] += value
        elif not line.strip() and current is not None:
            if current["msgid"]:
                entries.append(current)
            current = None
    return entries


def test_every_french_message_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO)
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_committed_french_mo_file_matches_the_po_file():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [
        e["msgid"]
        for e in parse_po(PO)
        if len(e["msgstr"]) == 1
        and (
            catalogue.pgettext(e["msgctxt"], e["msgid"])
            if e["msgctxt"]
            else catalogue.gettext(e["msgid"])
        )
        != e["msgstr"][0]
    ]
    assert stale == [], "run `make messages` and commit the .mo files"

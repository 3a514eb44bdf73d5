"""Text helpers shared by search, import, the models and outgoing email."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every character Python's str.splitlines() breaks on, as a mail header would.
LINE_BREAK = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})


def fold(text):
    """Lower-case, spell out ligatures, strip accents: "Œuvre Réalité" -> "oeuvre realite"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def validate_single_line(value):
    """Refuse a line break in a one-line value: a name, a title, a subject."""
    if value and LINE_BREAK.search(value):
        raise ValidationError(
            _("This is one line of text: remove the line breaks."), code="line_break"
        )


def single_line(text):
    """Return ``text`` on one line, its runs of white space (line breaks too) as one space."""
    return " ".join(str(text).split())


# A cell beginning with one of these is run as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix a quote to a text cell that a spreadsheet would run as a formula (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_formula_escape(value):
    """Undo ``neutralise_formula`` so that an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value

"""Text helpers shared by search and import."""

import unicodedata


def fold(text):
    """Lower-case and strip accents: "Réalité" -> "realite" (like unaccent(lower(...)))."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))

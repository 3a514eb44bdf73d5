"""What the directory search keeps beside the register: its vocabulary and synonyms."""

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

SYNONYM_SEPARATORS = ",\n;"


class SearchWord(models.Model):
    """A term of the search index, for typo correction (kept by ``members.search.index``),
    and how many public companies hold it (a one-word search is then known to find more
    than the directory counts, without counting)."""

    word = models.TextField(_("word"), primary_key=True)
    # Kept by PostgreSQL (migration members.0037_searchword_companies): Django only reads
    # it, with the moves not yet folded in (members.search.index.companies_of).
    companies = models.IntegerField(
        _("public companies"),
        db_default=0,
        help_text=_("Public companies whose index holds the word, before its unfolded moves."),
    )

    class Meta:
        ordering = ["word"]
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [
            GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="members_searchword_trgm"),
            # A word within k typos differs in length by k at most: with the trigrams, this
            # leaves a few hundred words to compare instead of thousands (18 ms -> 3 ms).
            models.Index(Length("word"), name="members_searchword_length"),
            # The words that start with a prefix (``LIKE 'vid%'``), whatever the collation.
            models.Index(
                fields=["word"], opclasses=["text_pattern_ops"], name="members_searchword_prefix"
            ),
        ]

    def __str__(self):
        return self.word


class SearchWordMove(models.Model):
    """Public companies that came to hold a term (``delta`` > 0) or ceased to, appended by
    PostgreSQL's triggers in the transaction of each write, and added to
    ``SearchWord.companies`` after it commits (``members.search.index.fold_moves``)."""

    word = models.TextField(_("word"))
    delta = models.IntegerField(_("public companies moved"))

    class Meta:
        verbose_name = _("search word move")
        verbose_name_plural = _("search word moves")
        indexes = [models.Index(fields=["word"], name="members_searchwordmove_word")]

    def __str__(self):
        return f"{self.word} {self.delta:+d}"


def split_terms(text):
    """Return the terms of a synonym group as written, without blanks or repeats."""
    for separator in SYNONYM_SEPARATORS:
        text = text.replace(separator, "|")
    seen, terms = set(), []
    for term in (" ".join(part.split()) for part in text.split("|")):
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    return terms


class Synonym(models.Model):
    """Words or phrases that a search treats as one (VR, réalité virtuelle, métavers)."""

    terms = models.TextField(
        _("terms"),
        help_text=_(
            "Two or more words or phrases that mean the same, separated by commas: "
            "VR, réalité virtuelle, métavers. A search for any of them finds the others."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self):
        return ", ".join(split_terms(self.terms))

    def clean(self):
        from ..search.analyzer import terms as analyzed

        terms = split_terms(self.terms or "")
        empty = [term for term in terms if not analyzed(term)]
        if empty:
            raise ValidationError(
                {
                    "terms": _("“%(term)s” holds only common words that a search ignores.")
                    % {"term": empty[0]}
                }
            )
        if len(terms) < 2:
            raise ValidationError({"terms": _("Give at least two terms, separated by commas.")})
        self.terms = ", ".join(terms)

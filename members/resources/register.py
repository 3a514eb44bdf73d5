"""The register's spreadsheets: companies (shared by the admin's import and export and by
``manage.py import_companies``), sectors and contacts."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import fields, widgets

from ..models import Company, Contact, Sector
from ..models.register import Country
from ..services import company_unique_slug
from ..spreadsheet import TextWidget, cell_text, is_blank
from ..text import fold
from .base import SpreadsheetResource


class SectorsWidget(widgets.ManyToManyWidget):
    """Sectors as names or slugs separated by ``;``. An unknown sector is an error."""

    def __init__(self):
        super().__init__(Sector, separator=";", field="slug")
        self.by_label = None  # read once an import, on first use

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return Sector.objects.none()
        if self.by_label is None:
            self.by_label = {}
            for sector in Sector.objects.all():
                for label in (sector.slug, sector.name, sector.name_en):
                    self.by_label.setdefault(fold(label), sector)
        by_label = self.by_label
        sectors, unknown = [], []
        for label in (part.strip() for part in cell_text(value).split(self.separator)):
            if not label:
                continue
            sector = by_label.get(fold(label)) or by_label.get(slugify(label))
            (sectors.append(sector) if sector else unknown.append(label))
        if unknown:
            known = ", ".join(sorted({sector.slug for sector in by_label.values()}))
            raise ValueError(
                _("Unknown sector %(sectors)s. Known sectors: %(known)s.")
                % {"sectors": ", ".join(f"“{label}”" for label in unknown), "known": known}
            )
        return sectors

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(sector.slug for sector in value.all())


class CompanyResource(SpreadsheetResource):
    """The register as a spreadsheet: one row a company.

    Rows are matched to existing companies by SIRET, or by name when there is no SIRET,
    so that importing the same file twice never duplicates a company. An empty cell
    never erases what the register already holds.
    """

    keep_on_blank = True
    required_columns = ("name",)
    identity_field = "trade_name"
    postcode_fields = ("postcode",)
    phone_fields = ("phone",)

    name = fields.Field(attribute="trade_name", column_name="name", widget=TextWidget())
    sectors = fields.Field(attribute="sectors", column_name="sectors", widget=SectorsWidget())

    class Meta:
        model = Company
        fields = (
            "name",
            "legal_name",
            "siren",
            "siret",
            "vat_number",
            "naf_code",
            "legal_form",
            "street",
            "postcode",
            "city",
            "country",
            "website",
            "email",
            "phone",
            "headcount_band",
            "year_founded",
            "sectors",
            "description_fr",
            "description_en",
            "published",
        )
        import_order = fields
        export_order = fields
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        self._reserved_slugs = set()
        self._sirets_seen = {}  # SIRET -> (the first row that has it, its name)
        self._names_seen = {}  # folded name -> (the first row that has it, its SIRET)
        self.fields["sectors"].widget.by_label = None
        super().before_import(dataset, **kwargs)

    def get_instance(self, instance_loader, row):
        """Find the company by SIRET, or by name among the companies without one.

        A SIRET given on two rows is refused; so is a name, unless both rows have a SIRET
        (two establishments of one company may share a name).
        """
        siret = Company._meta.get_field("siret").to_python(cell_text(row.get("siret")))
        name = cell_text(row.get("name"))
        if siret:
            if siret in self._sirets_seen:
                first, first_name = self._sirets_seen[siret]
                raise ValidationError(
                    {
                        "siret": _("Row %(row)d of the file has this SIRET too (“%(name)s”).")
                        % {"row": first, "name": first_name}
                    }
                )
            self._sirets_seen[siret] = (self._current_row, name or siret)
        key = " ".join(name.split()).casefold()
        if key:
            first, first_siret = self._names_seen.setdefault(key, (self._current_row, siret))
            if first != self._current_row and not (siret and first_siret):
                raise ValidationError(
                    {
                        "trade_name": _(
                            "Row %(row)d of the file has this name too. Give each company "
                            "one row, or give both rows their SIRET if they are two "
                            "establishments."
                        )
                        % {"row": first}
                    }
                )
        if siret:
            company = Company.objects.filter(siret=siret).first()
            if company:
                return company
        if not name:
            return None
        candidates = Company.objects.filter(Q(trade_name__iexact=name) | Q(legal_name__iexact=name))
        if siret:
            candidates = candidates.filter(siret="")
        matches = list(candidates[:2])
        if len(matches) > 1:
            raise ValidationError(
                {
                    "trade_name": _(
                        "Several companies are called “%(name)s”; add their SIRET to tell "
                        "them apart."
                    )
                    % {"name": name}
                }
            )
        return matches[0] if matches else None

    def init_instance(self, row=None):
        return Company(published=True)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # Check the sectors now, so that an unknown one is reported with the row's
        # other mistakes instead of failing after the company is saved.
        sectors_field = self.fields["sectors"]
        if sectors_field.column_name in row:
            try:
                sectors_field.clean(row)
            except ValueError as exc:
                errors["sectors"] = ValidationError(str(exc), code="unknown_sector")
        if not instance.legal_name:
            instance.legal_name = instance.trade_name
        if not instance.slug and instance.trade_name:
            instance.slug = company_unique_slug(
                name=instance.trade_name, taken=self._reserved_slugs
            )
            self._reserved_slugs.add(instance.slug)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if not instance.trade_name:
            # Without a name, legal name and slug cannot be derived: report the name alone.
            errors = dict(import_validation_errors or {})
            blank = Company._meta.get_field("trade_name").error_messages["blank"]
            errors["trade_name"] = ValidationError(blank, code="blank")
            raise ValidationError(errors)
        super().validate_instance(instance, import_validation_errors, validate_unique)


class SectorResource(SpreadsheetResource):
    identity_field = "slug"

    class Meta:
        model = Sector
        fields = ("slug", "name", "name_en")
        import_id_fields = ("slug",)
        clean_model_instances = True


class ContactResource(SpreadsheetResource):
    identity_field = "id"
    phone_fields = ("phone",)

    company = fields.Field(
        attribute="company",
        column_name="company",
        widget=widgets.ForeignKeyWidget(Company, field="slug"),
    )

    class Meta:
        model = Contact
        fields = (
            "id",
            "company",
            "first_name",
            "last_name",
            "role",
            "email",
            "phone",
            "public_consent",
        )
        export_order = fields
        clean_model_instances = True
        use_transactions = True

    def country_of(self, instance):
        company = instance.company if instance.company_id else None
        return company.country if company else Country.FRANCE

"""Whether the public may see a company, kept by PostgreSQL itself (``Company.listed``).

The rule: a company is listed when it is published and its most recent membership is not
lapsed, resigned or cancelled; a company with no membership follows its published flag
alone. It is written once, as the function ``members_company_is_listed``, and two
triggers keep the column true under every write path (the ORM, bulk inserts, imports,
raw SQL): before each insert or update of a company, and after each insert, update or
delete of a membership (which touches the company's row only when the answer changes).
``CompanyQuerySet.public()`` reads the column, so that every count, facet and list of the
directory is one indexed condition instead of an anti-join over the memberships.
"""

from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Lower

FUNCTIONS = """
CREATE FUNCTION members_company_is_listed(company bigint, published boolean)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT published AND NOT EXISTS (
        SELECT 1 FROM members_membership AS gone
        WHERE gone.company_id = company
          AND gone.status IN ('lapsed', 'resigned', 'cancelled')
          AND NOT EXISTS (
              SELECT 1 FROM members_membership AS later
              WHERE later.company_id = gone.company_id AND later.start > gone.start
          )
    )
$$;

CREATE FUNCTION members_company_set_listed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.listed := members_company_is_listed(NEW.id, NEW.published);
    RETURN NEW;
END
$$;

CREATE FUNCTION members_membership_relist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE members_company AS c
    SET listed = members_company_is_listed(c.id, c.published)
    WHERE c.id IN (
        CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.company_id END,
        CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.company_id END
    )
      AND c.listed IS DISTINCT FROM members_company_is_listed(c.id, c.published);
    RETURN NULL;
END
$$;

CREATE TRIGGER members_company_listed BEFORE INSERT OR UPDATE ON members_company
FOR EACH ROW EXECUTE FUNCTION members_company_set_listed();

CREATE TRIGGER members_membership_relist
AFTER INSERT OR DELETE OR UPDATE OF company_id, status, start ON members_membership
FOR EACH ROW EXECUTE FUNCTION members_membership_relist();

UPDATE members_company SET listed = members_company_is_listed(id, published);
"""

DROP_FUNCTIONS = """
DROP TRIGGER members_membership_relist ON members_membership;
DROP TRIGGER members_company_listed ON members_company;
DROP FUNCTION members_membership_relist();
DROP FUNCTION members_company_set_listed();
DROP FUNCTION members_company_is_listed(bigint, boolean);
"""


class Migration(migrations.Migration):
    dependencies = [("members", "0031_alter_invoiceline_revenue")]

    operations = [
        migrations.AddField(
            model_name="company",
            name="listed",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Kept by the database: published, and the latest membership not gone.",
                verbose_name="listed publicly",
            ),
        ),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                Lower("trade_name"),
                "id",
                condition=Q(listed=True),
                name="members_company_listed_name",
            ),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                fields=["city"], condition=Q(listed=True), name="members_company_listed_city"
            ),
        ),
    ]

"""How many public companies each sector has (``SectorCount``), kept by PostgreSQL: the
directory's unfiltered sector counts are then read, not counted over the whole register
(74 ms at 100,000 companies).

Three statement triggers on the company-sector links (insert, delete and update, each
with its transition table: Django's ``set()`` writes its links in one statement) and one
row trigger on a company whose ``listed`` changes (``members.0032_company_listed``) move
the counts in the same transaction as the write. A sector's row appears with its first
public company.
"""

import django.db.models.deletion
from django.db import migrations, models

FUNCTIONS = """
CREATE FUNCTION members_sectorcount_add(delta integer, sector bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- A removal only updates: while a sector is deleted, its count may already be gone.
    IF delta > 0 THEN
        INSERT INTO members_sectorcount (sector_id, companies) VALUES (sector, delta)
        ON CONFLICT (sector_id)
        DO UPDATE SET companies = members_sectorcount.companies + EXCLUDED.companies;
    ELSE
        UPDATE members_sectorcount SET companies = companies + delta WHERE sector_id = sector;
    END IF;
END
$$;

-- The links of one statement (its transition table, "links"), counted in or out by the
-- trigger's argument: 1 for the links added, -1 for those removed.
CREATE FUNCTION members_sectorcount_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM members_sectorcount_add(TG_ARGV[0]::integer * d.n::integer, d.sector_id)
    FROM (SELECT l.sector_id, count(*) AS n FROM links AS l
          JOIN members_company AS c ON c.id = l.company_id AND c.listed
          GROUP BY l.sector_id ORDER BY l.sector_id) AS d;
    RETURN NULL;
END
$$;

CREATE FUNCTION members_sectorcount_company_relisted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM members_sectorcount_add(CASE WHEN NEW.listed THEN 1 ELSE -1 END, l.sector_id)
    FROM (SELECT sector_id FROM members_company_sectors WHERE company_id = NEW.id
          ORDER BY sector_id) AS l;
    RETURN NULL;
END
$$;

CREATE TRIGGER members_sectorcount_links_added AFTER INSERT ON members_company_sectors
REFERENCING NEW TABLE AS links
FOR EACH STATEMENT EXECUTE FUNCTION members_sectorcount_links('1');

CREATE TRIGGER members_sectorcount_links_removed AFTER DELETE ON members_company_sectors
REFERENCING OLD TABLE AS links
FOR EACH STATEMENT EXECUTE FUNCTION members_sectorcount_links('-1');

CREATE TRIGGER members_sectorcount_links_updated_old AFTER UPDATE ON members_company_sectors
REFERENCING OLD TABLE AS links
FOR EACH STATEMENT EXECUTE FUNCTION members_sectorcount_links('-1');

CREATE TRIGGER members_sectorcount_links_updated_new AFTER UPDATE ON members_company_sectors
REFERENCING NEW TABLE AS links
FOR EACH STATEMENT EXECUTE FUNCTION members_sectorcount_links('1');

CREATE TRIGGER members_sectorcount_company_relisted AFTER UPDATE ON members_company
FOR EACH ROW WHEN (OLD.listed IS DISTINCT FROM NEW.listed)
EXECUTE FUNCTION members_sectorcount_company_relisted();

INSERT INTO members_sectorcount (sector_id, companies)
SELECT s.id, (
    SELECT count(*) FROM members_company_sectors AS l
    JOIN members_company AS c ON c.id = l.company_id AND c.listed
    WHERE l.sector_id = s.id
) FROM members_sector AS s;
"""

DROP_FUNCTIONS = """
DROP TRIGGER members_sectorcount_company_relisted ON members_company;
DROP TRIGGER members_sectorcount_links_updated_new ON members_company_sectors;
DROP TRIGGER members_sectorcount_links_updated_old ON members_company_sectors;
DROP TRIGGER members_sectorcount_links_removed ON members_company_sectors;
DROP TRIGGER members_sectorcount_links_added ON members_company_sectors;
DROP FUNCTION members_sectorcount_company_relisted();
DROP FUNCTION members_sectorcount_links();
DROP FUNCTION members_sectorcount_add(integer, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("members", "0032_company_listed")]

    operations = [
        migrations.CreateModel(
            name="SectorCount",
            fields=[
                (
                    "sector",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="public_count",
                        serialize=False,
                        to="members.sector",
                        verbose_name="sector",
                    ),
                ),
                ("companies", models.IntegerField(default=0, verbose_name="public companies")),
            ],
            options={"verbose_name": "sector count", "verbose_name_plural": "sector counts"},
        ),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
    ]

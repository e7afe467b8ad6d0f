"""PostgreSQL's statement-level checks of 0006, with less work per statement.

* **No posting added to a posted entry**: a statement's postings are for entries with
  ids in one range, and in a normal post none of those entries exists yet. One probe of
  the entries' primary key over that range says so; only if it finds an entry are the
  postings checked one by one, as before, to name the first offending entry.
* **Every entry balanced**: an entry's postings are nearly always in one fund; then one
  pass over them, two sums (one per track: 财务会计 and 预算会计, the only tracks the
  accounts allow), decides, instead of a count and then a grouping. An entry over
  several funds is grouped per (track, fund) as before; fewer than two postings is still
  refused. SQLite's trigger does the same since 0007.

Same checks, same messages. About 8% of a bulk post's time on PostgreSQL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The first entry among ``new_entries`` that does not balance. COALESCE runs the grouped
# check only where the one-pass check gives NULL (postings in several funds). Scalar
# subqueries on purpose, as in 0006: they run per new entry through the postings' key.
FIRST_UNBALANCED_SQL = """
    SELECT MIN(n.id) FROM new_entries n
    WHERE COALESCE(
        (SELECT CASE
             WHEN COUNT(*) < 2 THEN true
             WHEN MIN(p.fund) <> MAX(p.fund) THEN NULL
             ELSE COALESCE(SUM(CASE WHEN a.track = 'financial' THEN p.debit - p.credit END), 0) <> 0
               OR COALESCE(SUM(CASE WHEN a.track = 'budget' THEN p.debit - p.credit END), 0) <> 0
             END
         FROM postings p JOIN accounts a ON a.code = p.account
         WHERE p.entry_id = n.id),
        (SELECT COUNT(*) FROM (
             SELECT 1 FROM postings p JOIN accounts a ON a.code = p.account
             WHERE p.entry_id = n.id
             GROUP BY a.track, p.fund
             HAVING SUM(p.debit) <> SUM(p.credit)) AS off) > 0)
"""

# 0006's version, for the downgrade.
FIRST_UNBALANCED_SQL_0006 = """
    SELECT MIN(n.id) FROM new_entries n
    WHERE (SELECT COUNT(*) FROM postings p WHERE p.entry_id = n.id) < 2
       OR (SELECT COUNT(*) FROM (
               SELECT 1 FROM postings p JOIN accounts a ON a.code = p.account
               WHERE p.entry_id = n.id
               GROUP BY a.track, p.fund
               HAVING SUM(p.debit) <> SUM(p.credit)) AS off) > 0
"""

FIRST_POSTED_SQL = """
    SELECT MIN(n.entry_id) INTO posted FROM new_postings n
    WHERE (SELECT e.id FROM entries e WHERE e.id = n.entry_id) IS NOT NULL"""


def _postings_entry_open(ranged: bool) -> str:
    check = f"""{FIRST_POSTED_SQL};
           IF posted IS NOT NULL THEN
               RAISE EXCEPTION 'ledger: entry % is already posted, postings cannot be added',
                   posted USING ERRCODE = 'restrict_violation';
           END IF;"""
    if ranged:
        check = f"""SELECT MIN(entry_id), MAX(entry_id) INTO low, high FROM new_postings;
           IF EXISTS (SELECT 1 FROM entries e WHERE e.id BETWEEN low AND high) THEN
               {check}
           END IF;"""
    return f"""CREATE OR REPLACE FUNCTION ledger_postings_entry_open() RETURNS trigger
       LANGUAGE plpgsql AS $$
       DECLARE low bigint; high bigint; posted bigint;
       BEGIN
           {check}
           RETURN NULL;
       END $$"""


def _entries_checked(first_unbalanced: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION ledger_entries_checked() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE closed text; late text; unbalanced bigint;
        BEGIN
            SELECT MAX(period) INTO closed FROM closed_periods;
            IF closed IS NOT NULL THEN
                SELECT MIN(period) INTO late FROM new_entries WHERE period <= closed;
                IF late IS NOT NULL THEN
                    RAISE EXCEPTION 'ledger: period % closed', late
                        USING ERRCODE = 'check_violation';
                END IF;
            END IF;
            unbalanced := ({first_unbalanced});
            IF unbalanced IS NOT NULL THEN
                RAISE EXCEPTION 'ledger: entry % does not balance', unbalanced
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_postings_entry_open(ranged=True))
        op.execute(_entries_checked(FIRST_UNBALANCED_SQL))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_postings_entry_open(ranged=False))
        op.execute(_entries_checked(FIRST_UNBALANCED_SQL_0006))

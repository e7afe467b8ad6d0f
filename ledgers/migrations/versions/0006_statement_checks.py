"""PostgreSQL checks the ledger's inserts once per statement, not once per row.

The three insert guards of 0001 — no posting added to an entry already posted, no entry
into a closed period, every entry balanced per track and fund — become statement-level
``AFTER INSERT`` triggers over the statement's transition table (all the rows it
inserted), each one set-wise query instead of one PL/pgSQL call per row. A bulk post of
100,000 entries ran 400,000 row-level calls.

The balance check was a constraint trigger deferred to COMMIT; it now runs when the
entries are inserted. That is the same check, as before on SQLite: an entry's postings
are inserted before its row (``postings.entry_id`` stays a deferred foreign key), and no
posting can be added once the row exists, so nothing can change an entry's balance
between its insert and the commit. The messages are those of 0001 and name the first
offending entry or period.

SQLite has no statement-level triggers: nothing changes there.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The first entry among ``new_entries`` that does not balance: fewer than two postings, or
# debits and credits that differ in some (track, fund). Scalar subqueries on purpose: the
# planner runs them per new entry through the postings' primary key, whatever the size of
# the statement (a join could be planned as a scan of every posting, and PL/pgSQL keeps the
# plan it made for the first statement of the session).
FIRST_UNBALANCED_SQL = """
    SELECT MIN(n.id) FROM new_entries n
    WHERE (SELECT COUNT(*) FROM postings p WHERE p.entry_id = n.id) < 2
       OR (SELECT COUNT(*) FROM (
               SELECT 1 FROM postings p JOIN accounts a ON a.code = p.account
               WHERE p.entry_id = n.id
               GROUP BY a.track, p.fund
               HAVING SUM(p.debit) <> SUM(p.credit)) AS off) > 0
"""

UPGRADE = [
    "DROP TRIGGER postings_entry_open ON postings",
    "DROP TRIGGER entries_period_open ON entries",
    "DROP TRIGGER entries_balanced ON entries",
    "DROP FUNCTION ledger_posting_entry_open()",
    "DROP FUNCTION ledger_period_open()",
    "DROP FUNCTION ledger_entry_balanced()",
    """CREATE FUNCTION ledger_postings_entry_open() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE posted bigint;
       BEGIN
           SELECT MIN(n.entry_id) INTO posted FROM new_postings n
           WHERE (SELECT e.id FROM entries e WHERE e.id = n.entry_id) IS NOT NULL;
           IF posted IS NOT NULL THEN
               RAISE EXCEPTION 'ledger: entry % is already posted, postings cannot be added',
                   posted USING ERRCODE = 'restrict_violation';
           END IF;
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER postings_entry_open AFTER INSERT ON postings
       REFERENCING NEW TABLE AS new_postings
       FOR EACH STATEMENT EXECUTE FUNCTION ledger_postings_entry_open()""",
    f"""CREATE FUNCTION ledger_entries_checked() RETURNS trigger LANGUAGE plpgsql AS $$
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
            unbalanced := ({FIRST_UNBALANCED_SQL});
            IF unbalanced IS NOT NULL THEN
                RAISE EXCEPTION 'ledger: entry % does not balance', unbalanced
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER entries_checked AFTER INSERT ON entries
       REFERENCING NEW TABLE AS new_entries
       FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_checked()""",
]

# The row-level triggers of 0001, as they were.
BALANCED_SQL = """
    (SELECT COUNT(*) FROM postings WHERE entry_id = NEW.id) < 2
    OR EXISTS (
        SELECT 1 FROM postings p JOIN accounts a ON a.code = p.account
        WHERE p.entry_id = NEW.id
        GROUP BY a.track, p.fund
        HAVING SUM(p.debit) <> SUM(p.credit))
"""

DOWNGRADE = [
    "DROP TRIGGER postings_entry_open ON postings",
    "DROP TRIGGER entries_checked ON entries",
    "DROP FUNCTION ledger_postings_entry_open()",
    "DROP FUNCTION ledger_entries_checked()",
    """CREATE FUNCTION ledger_posting_entry_open() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF EXISTS (SELECT 1 FROM entries WHERE id = NEW.entry_id) THEN
               RAISE EXCEPTION 'ledger: entry % is already posted, postings cannot be added',
                   NEW.entry_id USING ERRCODE = 'restrict_violation';
           END IF;
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER postings_entry_open BEFORE INSERT ON postings
       FOR EACH ROW EXECUTE FUNCTION ledger_posting_entry_open()""",
    """CREATE FUNCTION ledger_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF NEW.period <= (SELECT MAX(period) FROM closed_periods) THEN
               RAISE EXCEPTION 'ledger: period % closed', NEW.period
                   USING ERRCODE = 'check_violation';
           END IF;
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER entries_period_open BEFORE INSERT ON entries
       FOR EACH ROW EXECUTE FUNCTION ledger_period_open()""",
    f"""CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF {BALANCED_SQL} THEN
                RAISE EXCEPTION 'ledger: entry % does not balance', NEW.id
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE CONSTRAINT TRIGGER entries_balanced AFTER INSERT ON entries
       DEFERRABLE INITIALLY DEFERRED
       FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced()""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)

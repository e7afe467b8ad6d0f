-- The ledger's database-side invariant on PostgreSQL: every trigger and function of a
-- database migrated to head, in one place.
--
-- A reference, not a script anyone runs: the migrations (ledgers/migrations/versions,
-- 0001 to 0015) are what build a database, and they are history, applied to real ledgers.
-- This file says what they add up to, in PostgreSQL's own spelling (pg_get_triggerdef,
-- pg_get_functiondef: "BEFORE DELETE OR UPDATE", "SET jit TO 'off'", $function$ quotes).
-- tests/ledger/test_invariant_sql.py migrates a fresh database and compares its triggers
-- and the functions in its schema with these statements (names, and each definition but
-- for whitespace and these comments), so the file cannot go stale: a migration that
-- changes a trigger or a function changes this file in the same commit.
--
-- The whole invariant, and where each part is kept (ledgers/invariants.py checks every
-- part in code first, so that a refusal comes back as a clear LedgerError):
--
--   1. Balanced. Every entry's debits equal its credits within each track (财务会计 /
--      预算会计) and each fund: function ledger_entries_checked, below.
--   2. Immutable. Posted rows are never updated, deleted or truncated: ledger_refuse_change
--      and the *_append_only functions (TRUNCATE of the workflow's tables since 0014).
--      A mistake is corrected by a reversal, a new entry naming the one it mirrors
--      (entries.reverses_entry_id, unique: a reversal once only).
--   3. Idempotent. An entry key names one entry forever: unique constraint uq_entries_key
--      (ledgers/schema.py).
--   4. One positive side per posting, running balances that add up, one chain head:
--      CHECK constraints ck_postings_one_side, ck_balances_running, ck_chain_head_single
--      (ledgers/schema.py).
--   5. No overdraft. Not a trigger: balances are read and applied under row locks
--      (ledgers.invariants.FundBook, ledgers/writer.py). Lock order, the same for every
--      writer so that two never deadlock: SELECT ... FOR UPDATE on the funds touched,
--      sorted by code, then on the one chain_head row. Two writers of one fund queue on
--      its row, so neither can spend the available balance the other already spent.
--   6. Closed periods. No entry is dated in a closed month: ledger_entries_checked.
--   7. Chain head. The hash chain's tip is the one row of chain_head, locked last and
--      updated in the posting transaction, so entries are chained one writer at a time;
--      Ledger.verify() recomputes the chain (ledgers/chain.py). An entry's program
--      (entries.program, 0016) is sealed in its hash where not null; the programs 0016
--      filled in for older entries are held by verify to what each entry says
--      (ledgers/programs.py). No trigger: the column is written on insert only.
--   8. A second officer. A payment request (a return by hand, a reissue to another
--      account) is never approved by the officer who requested it: trigger
--      payment_request_decisions_second_officer.
--   9. Separation of duties (不相容岗位相互分离). A batch is never approved by its
--      submitter, nor paid by its approver unless the office allows it:
--      batch_events_second_officer, payments_not_by_approver. Officers are never
--      deleted, sessions only revoked, role events, sign-in attempts and settings only
--      appended.

--  10. Seals. Each sealed table's rows carry their place in its hash chain and their seal
--      (ledgers/seals.py); the chain's head is its row of seals, moved in the writing
--      transaction, forward only: function seals_only_forward. Ledger.verify() walks
--      every chain and names the row edited, deleted or inserted. Writers of sealed rows
--      take turns: every Ledger.transaction() first takes the writers' advisory lock
--      (ledgers/sealer.py), before the fund and chain-head locks.

-- ---------------------------------------------------------------------------------------
-- 2. Immutable: the journal and the closed periods (0001)
-- ---------------------------------------------------------------------------------------
-- entries and postings are the journal; closed_periods only grows (closing a month
-- closes every month before it, so reopening one would silently reopen them all).
-- One function for the three tables; TRUNCATE, which fires no row trigger, is refused by
-- a statement trigger.

CREATE OR REPLACE FUNCTION ledger_refuse_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    RAISE EXCEPTION 'ledger: % are append-only, % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END $function$;

CREATE TRIGGER entries_immutable BEFORE DELETE OR UPDATE ON entries
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER postings_immutable BEFORE DELETE OR UPDATE ON postings
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER closed_periods_immutable BEFORE DELETE OR UPDATE ON closed_periods
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER closed_periods_no_truncate BEFORE TRUNCATE ON closed_periods
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- ---------------------------------------------------------------------------------------
-- 1. Balanced: the entry row closes the entry (0001, 0006, 0008, 0009)
-- ---------------------------------------------------------------------------------------
-- An entry's postings are inserted first, then its row (postings.entry_id is a DEFERRABLE
-- INITIALLY DEFERRED foreign key, so the postings may come before the row they name).
-- Once the row exists no posting can join it, so the balance checked when the row is
-- inserted is the balance at commit.
--
-- Both checks are statement-level AFTER INSERT triggers over the statement's transition
-- table (0006): one set-wise query per COPY of a chunk of thousands of entries, instead of
-- one PL/pgSQL call per row. Their queries use scalar subqueries on purpose: the planner
-- runs them per new row through the postings' and entries' primary keys, whatever the
-- size of the statement (a join could be planned as a scan of every posting, and
-- PL/pgSQL keeps the plan it made for the first statement of the session).
--
-- Both run with JIT off (0009): planned from stale statistics (a bulk post before
-- autovacuum has analysed the grown tables) they looked costly enough to be compiled,
-- about 230 ms a call for a query that runs in 3 to 15 ms. Only these two functions; the
-- server's setting is unchanged for every other query.

-- No posting for an entry whose row already exists. A statement's postings are for
-- entries with ids in one range, and in a normal post none of them exists yet: one probe
-- of the entries' key over that range says so (0008). Only if it finds one are the
-- postings checked one by one, to name the first offending entry.
CREATE OR REPLACE FUNCTION ledger_postings_entry_open()
 RETURNS trigger
 LANGUAGE plpgsql
 SET jit TO 'off'
AS $function$
DECLARE low bigint; high bigint; posted bigint;
BEGIN
    SELECT MIN(entry_id), MAX(entry_id) INTO low, high FROM new_postings;
    IF EXISTS (SELECT 1 FROM entries e WHERE e.id BETWEEN low AND high) THEN
        SELECT MIN(n.entry_id) INTO posted FROM new_postings n
        WHERE (SELECT e.id FROM entries e WHERE e.id = n.entry_id) IS NOT NULL;
        IF posted IS NOT NULL THEN
            RAISE EXCEPTION 'ledger: entry % is already posted, postings cannot be added',
                posted USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    RETURN NULL;
END $function$;

CREATE TRIGGER postings_entry_open AFTER INSERT ON postings
    REFERENCING NEW TABLE AS new_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_postings_entry_open();

-- 6. and 1. for the statement's new entries, naming the first offending period or entry.
--
-- Closed period: no new entry's month is on or before the latest closed one.
-- Balanced: fewer than two postings is refused. An entry's postings are nearly always in
-- one fund; then one pass, two sums (one per track: the accounts allow only 'financial'
-- and 'budget', ck_accounts_track), decides (0008). Postings over several funds give NULL
-- there, and COALESCE falls through to the grouping per (track, fund).
CREATE OR REPLACE FUNCTION ledger_entries_checked()
 RETURNS trigger
 LANGUAGE plpgsql
 SET jit TO 'off'
AS $function$
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
    unbalanced := (
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
    );
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'ledger: entry % does not balance', unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $function$;

CREATE TRIGGER entries_checked AFTER INSERT ON entries
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_checked();

-- ---------------------------------------------------------------------------------------
-- 2. Immutable: the workflow's records (0002 to 0005, 0010, 0011; subsidies/workflow/tables.py)
-- ---------------------------------------------------------------------------------------
-- What was submitted, decided, paid, recovered, recognised and matched is a record: a
-- later fact is a new row (an event), never an edit. "Decided once" (a batch approved or
-- rejected, a payment settled or returned) is a partial unique index, in tables.py.
-- One function per table, each naming its table.

-- 0002: payout batches, their decisions and events, the audit log.
CREATE OR REPLACE FUNCTION batches_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'batches is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER batches_append_only BEFORE DELETE OR UPDATE ON batches
    FOR EACH ROW EXECUTE FUNCTION batches_append_only();

CREATE OR REPLACE FUNCTION decisions_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'decisions is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER decisions_append_only BEFORE DELETE OR UPDATE ON decisions
    FOR EACH ROW EXECUTE FUNCTION decisions_append_only();

CREATE OR REPLACE FUNCTION batch_events_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'batch_events is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER batch_events_append_only BEFORE DELETE OR UPDATE ON batch_events
    FOR EACH ROW EXECUTE FUNCTION batch_events_append_only();

CREATE OR REPLACE FUNCTION audit_log_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- 0003: payments, their events, recoveries.
CREATE OR REPLACE FUNCTION payments_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'payments is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER payments_append_only BEFORE DELETE OR UPDATE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_append_only();

CREATE OR REPLACE FUNCTION payment_events_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'payment_events is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER payment_events_append_only BEFORE DELETE OR UPDATE ON payment_events
    FOR EACH ROW EXECUTE FUNCTION payment_events_append_only();

CREATE OR REPLACE FUNCTION recoveries_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'recoveries is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER recoveries_append_only BEFORE DELETE OR UPDATE ON recoveries
    FOR EACH ROW EXECUTE FUNCTION recoveries_append_only();

-- 0004: the brand registry.
CREATE OR REPLACE FUNCTION brands_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'brands is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER brands_append_only BEFORE DELETE OR UPDATE ON brands
    FOR EACH ROW EXECUTE FUNCTION brands_append_only();

CREATE OR REPLACE FUNCTION brand_events_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'brand_events is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER brand_events_append_only BEFORE DELETE OR UPDATE ON brand_events
    FOR EACH ROW EXECUTE FUNCTION brand_events_append_only();

-- 0005: bank and treasury statement lines, and what each was matched to.
CREATE OR REPLACE FUNCTION statement_lines_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'statement_lines is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER statement_lines_append_only BEFORE DELETE OR UPDATE ON statement_lines
    FOR EACH ROW EXECUTE FUNCTION statement_lines_append_only();

CREATE OR REPLACE FUNCTION line_matches_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'line_matches is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER line_matches_append_only BEFORE DELETE OR UPDATE ON line_matches
    FOR EACH ROW EXECUTE FUNCTION line_matches_append_only();

-- 0010: the bank payment files written, and the payments each merged transfer carries.
CREATE OR REPLACE FUNCTION payment_files_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'payment_files is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER payment_files_append_only BEFORE DELETE OR UPDATE ON payment_files
    FOR EACH ROW EXECUTE FUNCTION payment_files_append_only();

CREATE OR REPLACE FUNCTION payment_transfers_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'payment_transfers is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER payment_transfers_append_only BEFORE DELETE OR UPDATE ON payment_transfers
    FOR EACH ROW EXECUTE FUNCTION payment_transfers_append_only();

-- 0011: requests for a second officer's approval, their decisions, unit renames.
CREATE OR REPLACE FUNCTION payment_requests_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'payment_requests is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER payment_requests_append_only BEFORE DELETE OR UPDATE ON payment_requests
    FOR EACH ROW EXECUTE FUNCTION payment_requests_append_only();

CREATE OR REPLACE FUNCTION payment_request_decisions_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'payment_request_decisions is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER payment_request_decisions_append_only BEFORE DELETE OR UPDATE ON payment_request_decisions
    FOR EACH ROW EXECUTE FUNCTION payment_request_decisions_append_only();

CREATE OR REPLACE FUNCTION unit_renames_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'unit_renames is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER unit_renames_append_only BEFORE DELETE OR UPDATE ON unit_renames
    FOR EACH ROW EXECUTE FUNCTION unit_renames_append_only();

-- ---------------------------------------------------------------------------------------
-- 8. A second officer (0011)
-- ---------------------------------------------------------------------------------------
-- A return recorded by hand, or a reissue to another account, takes effect only when an
-- officer other than the one who requested it approves (maker–checker). The workflow
-- checks it first (subsidies/workflow/officers.py); this holds for any writer.
CREATE OR REPLACE FUNCTION payment_request_decisions_second_officer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF NEW.kind = 'approved' AND NEW."by" = (SELECT requested_by FROM payment_requests WHERE id = NEW.request_id) THEN
        RAISE EXCEPTION 'payment_request_decisions: the officer who requested cannot approve it; a second officer approves (maker-checker)';
    END IF;
    RETURN NEW;
END $function$;
CREATE TRIGGER payment_request_decisions_second_officer BEFORE INSERT ON payment_request_decisions
    FOR EACH ROW EXECUTE FUNCTION payment_request_decisions_second_officer();

-- ---------------------------------------------------------------------------------------
-- 9. Officers and separation of duties (0012)
-- ---------------------------------------------------------------------------------------
-- Role events, sign-in attempts and the office's settings are histories: append-only.
CREATE OR REPLACE FUNCTION role_events_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'role_events is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER role_events_append_only BEFORE DELETE OR UPDATE ON role_events
    FOR EACH ROW EXECUTE FUNCTION role_events_append_only();

CREATE OR REPLACE FUNCTION sign_in_attempts_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'sign_in_attempts is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER sign_in_attempts_append_only BEFORE DELETE OR UPDATE ON sign_in_attempts
    FOR EACH ROW EXECUTE FUNCTION sign_in_attempts_append_only();

CREATE OR REPLACE FUNCTION office_settings_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'office_settings is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER office_settings_append_only BEFORE DELETE OR UPDATE ON office_settings
    FOR EACH ROW EXECUTE FUNCTION office_settings_append_only();

-- An officer is never deleted (disabled instead, keeping their history) and keeps their
-- username, the name every record's "by" carries.
CREATE OR REPLACE FUNCTION officers_kept()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'officers are never deleted: disable the account';
    END IF;
    IF NEW.id <> OLD.id OR NEW.username <> OLD.username
        OR NEW.created_by <> OLD.created_by OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'officers: an account keeps its id and username';
    END IF;
    RETURN NEW;
END $function$;
CREATE TRIGGER officers_kept BEFORE DELETE OR UPDATE ON officers
    FOR EACH ROW EXECUTE FUNCTION officers_kept();

-- A session is signed out (revoked) once; nothing else about it changes.
CREATE OR REPLACE FUNCTION sessions_revoked_once()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
        OR NEW.id <> OLD.id OR NEW.officer_id <> OLD.officer_id
        OR NEW.token_sha256 <> OLD.token_sha256 OR NEW.via <> OLD.via
        OR NEW.source <> OLD.source OR NEW.created_at <> OLD.created_at
        OR NEW.expires_at <> OLD.expires_at THEN
        RAISE EXCEPTION 'sessions: a session is only ever revoked, once';
    END IF;
    RETURN NEW;
END $function$;
CREATE TRIGGER sessions_revoked_once BEFORE DELETE OR UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION sessions_revoked_once();

-- Maker–checker: the officer who submitted a batch never approves it. The workflow
-- checks it first (subsidies/workflow/batches.py); this holds for any writer.
CREATE OR REPLACE FUNCTION batch_events_second_officer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF NEW.kind = 'approved' AND NEW."by" = (SELECT submitted_by FROM batches WHERE id = NEW.batch_id) THEN
        RAISE EXCEPTION 'batch_events: the officer who submitted a batch cannot approve it; a second officer approves (maker-checker)';
    END IF;
    RETURN NEW;
END $function$;
CREATE TRIGGER batch_events_second_officer BEFORE INSERT ON batch_events
    FOR EACH ROW EXECUTE FUNCTION batch_events_second_officer();

-- Checker–cashier: the officer who approved a batch never makes its payments, unless the
-- office's latest setting cashier_may_be_checker is 'true' (a one-person office; the
-- change is in the audit log). The workflow checks it first (subsidies/workflow/payments.py).
CREATE OR REPLACE FUNCTION payments_not_by_approver()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF NEW.created_by = (SELECT "by" FROM batch_events WHERE batch_id = NEW.batch_id AND kind = 'approved') AND NOT COALESCE((SELECT value FROM office_settings WHERE name = 'cashier_may_be_checker' ORDER BY id DESC LIMIT 1), 'false') = 'true' THEN
        RAISE EXCEPTION 'payments: the officer who approved the batch cannot pay it (setting cashier_may_be_checker is off)';
    END IF;
    RETURN NEW;
END $function$;
CREATE TRIGGER payments_not_by_approver BEFORE INSERT ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_not_by_approver();

-- 10. Seals (0013)
-- ---------------------------------------------------------------------------------------
-- A chain's head moves forward (more rows sealed) or stays as it is; it is never renamed,
-- moved back, deleted or truncated, so hiding the last rows' deletion takes more than one
-- UPDATE. The migration sealed the rows a ledger already had with each *_append_only
-- trigger disabled, and enabled it again.
CREATE OR REPLACE FUNCTION seals_only_forward()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
            BEGIN
                IF TG_OP <> 'UPDATE' THEN
                    RAISE EXCEPTION 'seals: a chain head only moves forward: % refused', TG_OP;
                END IF;
                IF NEW.table_name <> OLD.table_name OR NEW.row_count < OLD.row_count OR (NEW.row_count = OLD.row_count AND NEW.head_hash <> OLD.head_hash) THEN
                    RAISE EXCEPTION 'seals: a chain head only moves forward: % refused', TG_OP;
                END IF;
                RETURN NEW;
            END $function$;
CREATE TRIGGER seals_only_forward BEFORE DELETE OR UPDATE ON seals
    FOR EACH ROW EXECUTE FUNCTION seals_only_forward();
CREATE TRIGGER seals_no_truncate BEFORE TRUNCATE ON seals
    FOR EACH STATEMENT EXECUTE FUNCTION seals_only_forward();

-- ---------------------------------------------------------------------------------------
-- 2. Immutable: TRUNCATE refused on every table of records (0014)
-- ---------------------------------------------------------------------------------------
-- TRUNCATE fires no row trigger: each table of records (the workflow's, the officers')
-- refuses it with a statement trigger. The same migration creates the roles the product
-- runs as (docs/database-roles.md): subsidies_owner owns the schema; subsidies_app, no
-- superuser (a superuser can set session_replication_role = replica and so turn every
-- trigger off), has SELECT and INSERT, UPDATE only on balances, chain_head, seals, funds,
-- officers and sessions (and jobs, 0015), and no DELETE, TRUNCATE or DDL: the triggers
-- are its second line.
CREATE OR REPLACE FUNCTION refuse_truncate()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
        BEGIN RAISE EXCEPTION '% is never emptied: TRUNCATE refused', TG_TABLE_NAME; END $function$;
CREATE TRIGGER batches_no_truncate BEFORE TRUNCATE ON batches
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER batch_events_no_truncate BEFORE TRUNCATE ON batch_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER payment_events_no_truncate BEFORE TRUNCATE ON payment_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER recoveries_no_truncate BEFORE TRUNCATE ON recoveries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER brands_no_truncate BEFORE TRUNCATE ON brands
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER brand_events_no_truncate BEFORE TRUNCATE ON brand_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER statement_lines_no_truncate BEFORE TRUNCATE ON statement_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER line_matches_no_truncate BEFORE TRUNCATE ON line_matches
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER payment_files_no_truncate BEFORE TRUNCATE ON payment_files
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER payment_transfers_no_truncate BEFORE TRUNCATE ON payment_transfers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER payment_requests_no_truncate BEFORE TRUNCATE ON payment_requests
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER payment_request_decisions_no_truncate BEFORE TRUNCATE ON payment_request_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER unit_renames_no_truncate BEFORE TRUNCATE ON unit_renames
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER officers_no_truncate BEFORE TRUNCATE ON officers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER role_events_no_truncate BEFORE TRUNCATE ON role_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER sessions_no_truncate BEFORE TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER sign_in_attempts_no_truncate BEFORE TRUNCATE ON sign_in_attempts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER office_settings_no_truncate BEFORE TRUNCATE ON office_settings
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();

-- 0017: each batch's claims and fen by status, and each 身份证号 / 统一社会信用代码 its claims
-- hold, written with its decisions, which never change.
CREATE OR REPLACE FUNCTION batch_totals_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'batch_totals is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER batch_totals_append_only BEFORE DELETE OR UPDATE ON batch_totals
    FOR EACH ROW EXECUTE FUNCTION batch_totals_append_only();
CREATE TRIGGER batch_totals_no_truncate BEFORE TRUNCATE ON batch_totals
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();

CREATE OR REPLACE FUNCTION claim_people_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN RAISE EXCEPTION 'claim_people is append-only: % refused', TG_OP; END $function$;
CREATE TRIGGER claim_people_append_only BEFORE DELETE OR UPDATE ON claim_people
    FOR EACH ROW EXECUTE FUNCTION claim_people_append_only();
CREATE TRIGGER claim_people_no_truncate BEFORE TRUNCATE ON claim_people
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();

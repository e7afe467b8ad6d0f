-- The ledger's database-side invariant on SQLite: every trigger of a database migrated to
-- head, in one place.
--
-- A reference, not a script anyone runs: the migrations (ledgers/migrations/versions,
-- 0001 to 0015) are what build a database, and they are history, applied to real ledgers.
-- This file says what they add up to. tests/ledger/test_invariant_sql.py migrates a fresh
-- database and compares its triggers with these statements (names, and each definition
-- but for whitespace and these comments), so the file cannot go stale: a migration that
-- changes a trigger changes this file in the same commit.
--
-- The whole invariant, and where each part is kept (ledgers/invariants.py checks every
-- part in code first, so that a refusal comes back as a clear LedgerError):
--
--   1. Balanced. Every entry's debits equal its credits within each track (财务会计 /
--      预算会计) and each fund: trigger entries_checked, below.
--   2. Immutable. Posted rows are never updated or deleted: the *_no_update and
--      *_no_delete triggers. A mistake is corrected by a reversal, a new entry naming the
--      one it mirrors (entries.reverses_entry_id, unique: a reversal once only).
--   3. Idempotent. An entry key names one entry forever: unique constraint uq_entries_key
--      (ledgers/schema.py).
--   4. One positive side per posting, running balances that add up, one chain head:
--      CHECK constraints ck_postings_one_side, ck_balances_running, ck_chain_head_single
--      (ledgers/schema.py).
--   5. No overdraft. Not a trigger: balances are read and applied under the write lock
--      (ledgers.invariants.FundBook), and SQLite has one lock, the database's. Every write
--      transaction starts with BEGIN IMMEDIATE (ledgers/db.py), so it holds that lock from
--      its first balance read to its commit, and two writers cannot both spend the same
--      available balance. No lock order is needed with one lock.
--   6. Closed periods. No entry is dated in a closed month: trigger entries_checked.
--   7. Chain head. The hash chain's tip is the one row of chain_head, updated in the
--      posting transaction; Ledger.verify() recomputes the chain (ledgers/chain.py).
--      An entry's program (entries.program, 0016) is sealed in its hash where not null;
--      the programs 0016 filled in for older entries are held by verify to what each
--      entry says (ledgers/programs.py). No trigger: the column is written on insert only.
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
--      transaction, forward only: triggers seals_only_forward and seals_no_delete.
--      Ledger.verify() walks every chain and names the row edited, deleted or inserted.

-- ---------------------------------------------------------------------------------------
-- 2. Immutable: the journal and the closed periods (0001)
-- ---------------------------------------------------------------------------------------
-- entries and postings are the journal; closed_periods only grows (closing a month
-- closes every month before it, so reopening one would silently reopen them all).

CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger: entries are append-only, UPDATE refused'); END;

CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger: entries are append-only, DELETE refused'); END;

CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'ledger: postings are append-only, UPDATE refused'); END;

CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'ledger: postings are append-only, DELETE refused'); END;

CREATE TRIGGER closed_periods_no_update BEFORE UPDATE ON closed_periods
BEGIN SELECT RAISE(ABORT, 'ledger: closed_periods are append-only, UPDATE refused'); END;

CREATE TRIGGER closed_periods_no_delete BEFORE DELETE ON closed_periods
BEGIN SELECT RAISE(ABORT, 'ledger: closed_periods are append-only, DELETE refused'); END;

-- ---------------------------------------------------------------------------------------
-- 1. Balanced: the entry row closes the entry (0001, 0007)
-- ---------------------------------------------------------------------------------------
-- An entry's postings are inserted first, then its row (postings.entry_id is a DEFERRABLE
-- INITIALLY DEFERRED foreign key, so the postings may come before the row they name).
-- Once the row exists no posting can join it, so the balance checked right after the row
-- is inserted is the balance at commit: SQLite has no deferred triggers, and needs none.

-- No posting for an entry whose row already exists (0001).
CREATE TRIGGER postings_entry_open BEFORE INSERT ON postings
WHEN EXISTS (SELECT 1 FROM entries WHERE id = NEW.entry_id)
BEGIN SELECT RAISE(ABORT, 'ledger: the entry is already posted, postings cannot be added'); END;

-- 6. and 1. in one trigger program per entry row (0007 merged 0001's entries_period_open
-- and entries_balanced: one program run per entry instead of two). A refusal after the
-- row is written undoes the statement all the same.
--
-- Closed period: the entry's month is after the latest closed one.
-- Balanced: fewer than two postings is refused. An entry's postings are nearly always in
-- one fund; then one pass, two sums (one per track: the accounts allow only 'financial'
-- and 'budget', ck_accounts_track), decides. Postings over several funds give NULL there
-- and fall through to the grouping per (track, fund) — a sorter per entry, which is why
-- it is not the first test.
CREATE TRIGGER entries_checked AFTER INSERT ON entries
BEGIN
    SELECT RAISE(ABORT, 'ledger: period closed')
    WHERE NEW.period <= (SELECT MAX(period) FROM closed_periods);
    SELECT RAISE(ABORT, 'ledger: entry does not balance')
    WHERE CASE (
        SELECT CASE
            WHEN COUNT(*) < 2 THEN 1
            WHEN MIN(p.fund) <> MAX(p.fund) THEN NULL
            ELSE COALESCE(SUM(CASE WHEN a.track = 'financial' THEN p.debit - p.credit END), 0) <> 0
              OR COALESCE(SUM(CASE WHEN a.track = 'budget' THEN p.debit - p.credit END), 0) <> 0
            END
        FROM postings p JOIN accounts a ON a.code = p.account
        WHERE p.entry_id = NEW.id)
        WHEN 0 THEN 0
        WHEN 1 THEN 1
        ELSE EXISTS (
            SELECT 1 FROM postings p JOIN accounts a ON a.code = p.account
            WHERE p.entry_id = NEW.id
            GROUP BY a.track, p.fund
            HAVING SUM(p.debit) <> SUM(p.credit))
    END;
END;

-- ---------------------------------------------------------------------------------------
-- 2. Immutable: the workflow's records (0002 to 0005, 0010, 0011; subsidies/workflow/tables.py)
-- ---------------------------------------------------------------------------------------
-- What was submitted, decided, paid, recovered, recognised and matched is a record: a
-- later fact is a new row (an event), never an edit. "Decided once" (a batch approved or
-- rejected, a payment settled or returned) is a partial unique index, in tables.py.

-- 0002: payout batches, their decisions and events, the audit log.
CREATE TRIGGER batches_no_update BEFORE UPDATE ON batches
BEGIN SELECT RAISE(ABORT, 'batches is append-only: UPDATE refused'); END;

CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches
BEGIN SELECT RAISE(ABORT, 'batches is append-only: DELETE refused'); END;

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions is append-only: UPDATE refused'); END;

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions is append-only: DELETE refused'); END;

CREATE TRIGGER batch_events_no_update BEFORE UPDATE ON batch_events
BEGIN SELECT RAISE(ABORT, 'batch_events is append-only: UPDATE refused'); END;

CREATE TRIGGER batch_events_no_delete BEFORE DELETE ON batch_events
BEGIN SELECT RAISE(ABORT, 'batch_events is append-only: DELETE refused'); END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END;

-- 0003: payments, their events, recoveries.
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments is append-only: UPDATE refused'); END;

CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments is append-only: DELETE refused'); END;

CREATE TRIGGER payment_events_no_update BEFORE UPDATE ON payment_events
BEGIN SELECT RAISE(ABORT, 'payment_events is append-only: UPDATE refused'); END;

CREATE TRIGGER payment_events_no_delete BEFORE DELETE ON payment_events
BEGIN SELECT RAISE(ABORT, 'payment_events is append-only: DELETE refused'); END;

CREATE TRIGGER recoveries_no_update BEFORE UPDATE ON recoveries
BEGIN SELECT RAISE(ABORT, 'recoveries is append-only: UPDATE refused'); END;

CREATE TRIGGER recoveries_no_delete BEFORE DELETE ON recoveries
BEGIN SELECT RAISE(ABORT, 'recoveries is append-only: DELETE refused'); END;

-- 0004: the brand registry.
CREATE TRIGGER brands_no_update BEFORE UPDATE ON brands
BEGIN SELECT RAISE(ABORT, 'brands is append-only: UPDATE refused'); END;

CREATE TRIGGER brands_no_delete BEFORE DELETE ON brands
BEGIN SELECT RAISE(ABORT, 'brands is append-only: DELETE refused'); END;

CREATE TRIGGER brand_events_no_update BEFORE UPDATE ON brand_events
BEGIN SELECT RAISE(ABORT, 'brand_events is append-only: UPDATE refused'); END;

CREATE TRIGGER brand_events_no_delete BEFORE DELETE ON brand_events
BEGIN SELECT RAISE(ABORT, 'brand_events is append-only: DELETE refused'); END;

-- 0005: bank and treasury statement lines, and what each was matched to.
CREATE TRIGGER statement_lines_no_update BEFORE UPDATE ON statement_lines
BEGIN SELECT RAISE(ABORT, 'statement_lines is append-only: UPDATE refused'); END;

CREATE TRIGGER statement_lines_no_delete BEFORE DELETE ON statement_lines
BEGIN SELECT RAISE(ABORT, 'statement_lines is append-only: DELETE refused'); END;

CREATE TRIGGER line_matches_no_update BEFORE UPDATE ON line_matches
BEGIN SELECT RAISE(ABORT, 'line_matches is append-only: UPDATE refused'); END;

CREATE TRIGGER line_matches_no_delete BEFORE DELETE ON line_matches
BEGIN SELECT RAISE(ABORT, 'line_matches is append-only: DELETE refused'); END;

-- 0010: the bank payment files written, and the payments each merged transfer carries.
CREATE TRIGGER payment_files_no_update BEFORE UPDATE ON payment_files
BEGIN SELECT RAISE(ABORT, 'payment_files is append-only: UPDATE refused'); END;

CREATE TRIGGER payment_files_no_delete BEFORE DELETE ON payment_files
BEGIN SELECT RAISE(ABORT, 'payment_files is append-only: DELETE refused'); END;

CREATE TRIGGER payment_transfers_no_update BEFORE UPDATE ON payment_transfers
BEGIN SELECT RAISE(ABORT, 'payment_transfers is append-only: UPDATE refused'); END;

CREATE TRIGGER payment_transfers_no_delete BEFORE DELETE ON payment_transfers
BEGIN SELECT RAISE(ABORT, 'payment_transfers is append-only: DELETE refused'); END;

-- 0011: requests for a second officer's approval, their decisions, unit renames.
CREATE TRIGGER payment_requests_no_update BEFORE UPDATE ON payment_requests
BEGIN SELECT RAISE(ABORT, 'payment_requests is append-only: UPDATE refused'); END;

CREATE TRIGGER payment_requests_no_delete BEFORE DELETE ON payment_requests
BEGIN SELECT RAISE(ABORT, 'payment_requests is append-only: DELETE refused'); END;

CREATE TRIGGER payment_request_decisions_no_update BEFORE UPDATE ON payment_request_decisions
BEGIN SELECT RAISE(ABORT, 'payment_request_decisions is append-only: UPDATE refused'); END;

CREATE TRIGGER payment_request_decisions_no_delete BEFORE DELETE ON payment_request_decisions
BEGIN SELECT RAISE(ABORT, 'payment_request_decisions is append-only: DELETE refused'); END;

CREATE TRIGGER unit_renames_no_update BEFORE UPDATE ON unit_renames
BEGIN SELECT RAISE(ABORT, 'unit_renames is append-only: UPDATE refused'); END;

CREATE TRIGGER unit_renames_no_delete BEFORE DELETE ON unit_renames
BEGIN SELECT RAISE(ABORT, 'unit_renames is append-only: DELETE refused'); END;

-- ---------------------------------------------------------------------------------------
-- 8. A second officer (0011)
-- ---------------------------------------------------------------------------------------
-- A return recorded by hand, or a reissue to another account, takes effect only when an
-- officer other than the one who requested it approves (maker–checker). The workflow
-- checks it first (subsidies/workflow/officers.py); this holds for any writer.
CREATE TRIGGER payment_request_decisions_second_officer BEFORE INSERT ON payment_request_decisions
WHEN NEW.kind = 'approved'
    AND NEW."by" = (SELECT requested_by FROM payment_requests WHERE id = NEW.request_id)
BEGIN SELECT RAISE(ABORT, 'payment_request_decisions: the officer who requested cannot approve it; a second officer approves (maker-checker)'); END;

-- ---------------------------------------------------------------------------------------
-- 9. Officers and separation of duties (0012)
-- ---------------------------------------------------------------------------------------
-- Role events, sign-in attempts and the office's settings are histories: append-only.
CREATE TRIGGER role_events_no_update BEFORE UPDATE ON role_events
BEGIN SELECT RAISE(ABORT, 'role_events is append-only: UPDATE refused'); END;

CREATE TRIGGER role_events_no_delete BEFORE DELETE ON role_events
BEGIN SELECT RAISE(ABORT, 'role_events is append-only: DELETE refused'); END;

CREATE TRIGGER sign_in_attempts_no_update BEFORE UPDATE ON sign_in_attempts
BEGIN SELECT RAISE(ABORT, 'sign_in_attempts is append-only: UPDATE refused'); END;

CREATE TRIGGER sign_in_attempts_no_delete BEFORE DELETE ON sign_in_attempts
BEGIN SELECT RAISE(ABORT, 'sign_in_attempts is append-only: DELETE refused'); END;

CREATE TRIGGER office_settings_no_update BEFORE UPDATE ON office_settings
BEGIN SELECT RAISE(ABORT, 'office_settings is append-only: UPDATE refused'); END;

CREATE TRIGGER office_settings_no_delete BEFORE DELETE ON office_settings
BEGIN SELECT RAISE(ABORT, 'office_settings is append-only: DELETE refused'); END;

-- An officer is never deleted (disabled instead, keeping their history) and keeps their
-- username, the name every record's "by" carries.
CREATE TRIGGER officers_no_delete BEFORE DELETE ON officers
BEGIN SELECT RAISE(ABORT, 'officers are never deleted: disable the account'); END;

CREATE TRIGGER officers_kept BEFORE UPDATE ON officers
WHEN NEW.id IS NOT OLD.id OR NEW.username IS NOT OLD.username
    OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'officers: an account keeps its id and username'); END;

-- A session is signed out (revoked) once; nothing else about it changes.
CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions
BEGIN SELECT RAISE(ABORT, 'sessions: a session is only ever revoked, once'); END;

CREATE TRIGGER sessions_revoked_once BEFORE UPDATE ON sessions
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.id IS NOT OLD.id
    OR NEW.officer_id IS NOT OLD.officer_id OR NEW.token_sha256 IS NOT OLD.token_sha256
    OR NEW.via IS NOT OLD.via OR NEW.source IS NOT OLD.source
    OR NEW.created_at IS NOT OLD.created_at OR NEW.expires_at IS NOT OLD.expires_at
BEGIN SELECT RAISE(ABORT, 'sessions: a session is only ever revoked, once'); END;

-- Maker–checker: the officer who submitted a batch never approves it. The workflow
-- checks it first (subsidies/workflow/batches.py); this holds for any writer.
CREATE TRIGGER batch_events_second_officer BEFORE INSERT ON batch_events
WHEN NEW.kind = 'approved'
    AND NEW."by" = (SELECT submitted_by FROM batches WHERE id = NEW.batch_id)
BEGIN SELECT RAISE(ABORT, 'batch_events: the officer who submitted a batch cannot approve it; a second officer approves (maker-checker)'); END;

-- Checker–cashier: the officer who approved a batch never makes its payments, unless the
-- office's latest setting cashier_may_be_checker is 'true' (a one-person office; the
-- change is in the audit log). The workflow checks it first (subsidies/workflow/payments.py).
CREATE TRIGGER payments_not_by_approver BEFORE INSERT ON payments
WHEN NEW.created_by = (SELECT "by" FROM batch_events WHERE batch_id = NEW.batch_id AND kind = 'approved')
    AND NOT COALESCE((SELECT value FROM office_settings WHERE name = 'cashier_may_be_checker' ORDER BY id DESC LIMIT 1), 'false') = 'true'
BEGIN SELECT RAISE(ABORT, 'payments: the officer who approved the batch cannot pay it (setting cashier_may_be_checker is off)'); END;

-- 10. Seals (0013)
-- ---------------------------------------------------------------------------------------
-- A chain's head moves forward (more rows sealed) or stays as it is; it is never renamed,
-- moved back or deleted, so hiding the last rows' deletion takes more than one UPDATE.
-- The migration sealed the rows a ledger already had with the *_no_update triggers set
-- aside, and put each back as it was.
CREATE TRIGGER seals_only_forward BEFORE UPDATE ON seals WHEN NEW.table_name <> OLD.table_name OR NEW.row_count < OLD.row_count OR (NEW.row_count = OLD.row_count AND NEW.head_hash <> OLD.head_hash)
BEGIN SELECT RAISE(ABORT, 'seals: a chain head only moves forward: UPDATE refused'); END;

CREATE TRIGGER seals_no_delete BEFORE DELETE ON seals
BEGIN SELECT RAISE(ABORT, 'seals: a chain head only moves forward: DELETE refused'); END;

-- 11. Batch totals and the people claims name (0017)
-- ---------------------------------------------------------------------------------------
-- Each batch's claims and fen by status, and each 身份证号 / 统一社会信用代码 its claims
-- hold, written with its decisions, which never change.
CREATE TRIGGER batch_totals_no_update BEFORE UPDATE ON batch_totals
BEGIN SELECT RAISE(ABORT, 'batch_totals is append-only: UPDATE refused'); END;

CREATE TRIGGER batch_totals_no_delete BEFORE DELETE ON batch_totals
BEGIN SELECT RAISE(ABORT, 'batch_totals is append-only: DELETE refused'); END;

CREATE TRIGGER claim_people_no_update BEFORE UPDATE ON claim_people
BEGIN SELECT RAISE(ABORT, 'claim_people is append-only: UPDATE refused'); END;

CREATE TRIGGER claim_people_no_delete BEFORE DELETE ON claim_people
BEGIN SELECT RAISE(ABORT, 'claim_people is append-only: DELETE refused'); END;

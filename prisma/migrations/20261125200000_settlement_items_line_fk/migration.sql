-- settlement_items.line_id loses its foreign key to journal_lines (issue 9, the settlement
-- benchmark): a run claims hundreds of thousands of lines in one INSERT ... SELECT, and the
-- per-row check of the key (always a line the same statement has just read from journal_lines)
-- was about 60 % of the claim (1.9 of 3.1 s over 268,386 lines). The key was not protecting
-- anything the database does not already refuse: journal lines are never updated, deleted or
-- truncated (triggers of the ledger migration), and claims are only written by that SELECT and
-- by postSettlementEntries for the lines it has just inserted. run_id went without one for the
-- same reason (20261125170000_settlement). The primary key (one claim per line) stays.

-- DropForeignKey
ALTER TABLE "settlement_items" DROP CONSTRAINT "settlement_items_line_id_fkey";

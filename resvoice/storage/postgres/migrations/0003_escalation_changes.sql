-- resvoice Postgres schema v3: transfers whose outcome is overdue, and escalation changes
-- announced like new escalations.
--
-- `transfer_due_at`: while a transfer to a human is under way, when its dial outcome is due.
-- A `transferred` row past it is failed by the sweep of any server (`fail_overdue_transfers`).

ALTER TABLE escalations ADD COLUMN transfer_due_at timestamptz;

-- every visible change reaches the listening servers too (not `transfer_due_at`, which is
-- bookkeeping nobody sees); same channel and payload (the id) as an insert
CREATE TRIGGER escalations_announce_change
AFTER UPDATE OF status, detail, claimed_by, claimed_at, updated_at ON escalations
FOR EACH ROW EXECUTE FUNCTION resvoice_announce_escalation();

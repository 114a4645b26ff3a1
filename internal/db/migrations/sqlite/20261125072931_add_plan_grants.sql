-- Create "plan_grants" table
CREATE TABLE `plan_grants` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `account_id` integer NOT NULL, `period_start` datetime NOT NULL, `period_end` datetime NOT NULL, `credits` integer NOT NULL, `granted_at` datetime NOT NULL);
-- Set sequence for "plan_grants" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("plan_grants", 34359738368);
-- Create index "plangrant_account_id_period_start" to table: "plan_grants"
CREATE UNIQUE INDEX `plangrant_account_id_period_start` ON `plan_grants` (`account_id`, `period_start`);
-- Backfill the grant of the current period for existing accounts
INSERT INTO plan_grants (account_id, period_start, period_end, credits, granted_at) SELECT id, period_start, period_end, plan_included, CURRENT_TIMESTAMP FROM accounts;

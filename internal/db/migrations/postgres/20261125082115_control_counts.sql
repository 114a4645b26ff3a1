-- Modify "accounts" table
ALTER TABLE "accounts" ADD COLUMN "credit_limit_count" bigint NOT NULL DEFAULT 0, ADD COLUMN "alert_rule_count" bigint NOT NULL DEFAULT 0;
-- Backfill the counts for existing accounts
UPDATE accounts SET credit_limit_count = (SELECT COUNT(*) FROM credit_limits WHERE credit_limits.account_id = accounts.id), alert_rule_count = (SELECT COUNT(*) FROM alert_rules WHERE alert_rules.account_id = accounts.id);

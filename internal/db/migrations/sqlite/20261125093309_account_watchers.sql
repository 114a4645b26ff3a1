-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_accounts" table
CREATE TABLE `new_accounts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `api_key_hash` text NOT NULL, `api_key_revoked_at` datetime NULL, `billing_anchor_day` integer NOT NULL, `period_start` datetime NOT NULL, `period_end` datetime NOT NULL, `plan_included` integer NOT NULL, `plan_remaining` integer NOT NULL, `period_bundle_used` integer NOT NULL DEFAULT (0), `created_at` datetime NOT NULL, `hourly_rate_micros` integer NOT NULL DEFAULT (50000000), `webhook_url` text NULL, `webhook_secret` text NULL, `auto_topup_offer_id` integer NULL, `auto_topup_below` integer NULL, `auto_topup_monthly_cap` integer NOT NULL DEFAULT (0), `auto_topup_armed` bool NOT NULL DEFAULT (true), `credit_limit_count` integer NOT NULL DEFAULT (0), `alert_rule_count` integer NOT NULL DEFAULT (0), `watchers` integer NOT NULL DEFAULT (0), `plan_id` integer NOT NULL, CONSTRAINT `accounts_plans_accounts` FOREIGN KEY (`plan_id`) REFERENCES `plans` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "accounts" to new temporary table "new_accounts"
INSERT INTO `new_accounts` (`id`, `name`, `api_key_hash`, `api_key_revoked_at`, `billing_anchor_day`, `period_start`, `period_end`, `plan_included`, `plan_remaining`, `period_bundle_used`, `created_at`, `hourly_rate_micros`, `webhook_url`, `webhook_secret`, `auto_topup_offer_id`, `auto_topup_below`, `auto_topup_monthly_cap`, `auto_topup_armed`, `credit_limit_count`, `alert_rule_count`, `plan_id`) SELECT `id`, `name`, `api_key_hash`, `api_key_revoked_at`, `billing_anchor_day`, `period_start`, `period_end`, `plan_included`, `plan_remaining`, `period_bundle_used`, `created_at`, `hourly_rate_micros`, `webhook_url`, `webhook_secret`, `auto_topup_offer_id`, `auto_topup_below`, `auto_topup_monthly_cap`, `auto_topup_armed`, `credit_limit_count`, `alert_rule_count`, `plan_id` FROM `accounts`;
-- Drop "accounts" table after copying rows
DROP TABLE `accounts`;
-- Rename temporary table "new_accounts" to "accounts"
ALTER TABLE `new_accounts` RENAME TO `accounts`;
-- Create index "accounts_api_key_hash_key" to table: "accounts"
CREATE UNIQUE INDEX `accounts_api_key_hash_key` ON `accounts` (`api_key_hash`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

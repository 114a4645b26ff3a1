-- Disable the enforcement of foreign-keys constraints
PRAGMA foreign_keys = off;
-- Create "new_accounts" table
CREATE TABLE `new_accounts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `api_key_hash` text NOT NULL, `api_key_revoked_at` datetime NULL, `billing_anchor_day` integer NOT NULL, `period_start` datetime NOT NULL, `period_end` datetime NOT NULL, `plan_included` integer NOT NULL, `plan_remaining` integer NOT NULL, `period_bundle_used` integer NOT NULL DEFAULT (0), `created_at` datetime NOT NULL, `hourly_rate_micros` integer NOT NULL DEFAULT (50000000), `webhook_url` text NULL, `webhook_secret` text NULL, `auto_topup_offer_id` integer NULL, `auto_topup_below` integer NULL, `auto_topup_monthly_cap` integer NOT NULL DEFAULT (0), `auto_topup_armed` bool NOT NULL DEFAULT (true), `plan_id` integer NOT NULL, CONSTRAINT `accounts_plans_accounts` FOREIGN KEY (`plan_id`) REFERENCES `plans` (`id`) ON DELETE NO ACTION);
-- Copy rows from old table "accounts" to new temporary table "new_accounts"
INSERT INTO `new_accounts` (`id`, `name`, `api_key_hash`, `api_key_revoked_at`, `billing_anchor_day`, `period_start`, `period_end`, `plan_included`, `plan_remaining`, `period_bundle_used`, `created_at`, `plan_id`) SELECT `id`, `name`, `api_key_hash`, `api_key_revoked_at`, `billing_anchor_day`, `period_start`, `period_end`, `plan_included`, `plan_remaining`, `period_bundle_used`, `created_at`, `plan_id` FROM `accounts`;
-- Drop "accounts" table after copying rows
DROP TABLE `accounts`;
-- Rename temporary table "new_accounts" to "accounts"
ALTER TABLE `new_accounts` RENAME TO `accounts`;
-- Create index "accounts_api_key_hash_key" to table: "accounts"
CREATE UNIQUE INDEX `accounts_api_key_hash_key` ON `accounts` (`api_key_hash`);
-- Create "alerts" table
CREATE TABLE `alerts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `account_id` integer NOT NULL, `kind` text NOT NULL, `message` text NOT NULL, `created_at` datetime NOT NULL, `dismissed_at` datetime NULL, `rule_id` integer NULL, CONSTRAINT `alerts_alert_rules_alerts` FOREIGN KEY (`rule_id`) REFERENCES `alert_rules` (`id`) ON DELETE SET NULL);
-- Set sequence for "alerts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("alerts", 38654705664);
-- Create index "alert_account_id_created_at" to table: "alerts"
CREATE INDEX `alert_account_id_created_at` ON `alerts` (`account_id`, `created_at`);
-- Create "alert_rules" table
CREATE TABLE `alert_rules` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `kind` text NOT NULL, `threshold` integer NOT NULL, `fired_period_start` datetime NULL, `created_at` datetime NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `alert_rules_accounts_alert_rules` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "alert_rules" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("alert_rules", 42949672960);
-- Create index "alertrule_account_id" to table: "alert_rules"
CREATE INDEX `alertrule_account_id` ON `alert_rules` (`account_id`);
-- Create "credit_limits" table
CREATE TABLE `credit_limits` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `category` text NULL, `agent_id` integer NULL, `monthly_credits` integer NOT NULL, `hard` bool NOT NULL, `created_at` datetime NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `credit_limits_accounts_credit_limits` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "credit_limits" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("credit_limits", 47244640256);
-- Create index "creditlimit_account_id" to table: "credit_limits"
CREATE INDEX `creditlimit_account_id` ON `credit_limits` (`account_id`);
-- Create "webhook_deliveries" table
CREATE TABLE `webhook_deliveries` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `account_id` integer NOT NULL, `url` text NOT NULL, `payload` text NOT NULL, `attempts` integer NOT NULL DEFAULT (0), `last_status` integer NULL, `last_error` text NULL, `next_attempt_at` datetime NULL, `delivered_at` datetime NULL, `failed` bool NOT NULL DEFAULT (false), `alert_id` integer NOT NULL, CONSTRAINT `webhook_deliveries_alerts_deliveries` FOREIGN KEY (`alert_id`) REFERENCES `alerts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "webhook_deliveries" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("webhook_deliveries", 51539607552);
-- Create index "webhookdelivery_delivered_at_failed_next_attempt_at" to table: "webhook_deliveries"
CREATE INDEX `webhookdelivery_delivered_at_failed_next_attempt_at` ON `webhook_deliveries` (`delivered_at`, `failed`, `next_attempt_at`);
-- Enable back the enforcement of foreign-keys constraints
PRAGMA foreign_keys = on;

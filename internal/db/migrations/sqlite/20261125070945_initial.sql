-- Create "accounts" table
CREATE TABLE `accounts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `api_key_hash` text NOT NULL, `api_key_revoked_at` datetime NULL, `billing_anchor_day` integer NOT NULL, `period_start` datetime NOT NULL, `period_end` datetime NOT NULL, `plan_included` integer NOT NULL, `plan_remaining` integer NOT NULL, `period_bundle_used` integer NOT NULL DEFAULT (0), `created_at` datetime NOT NULL, `plan_id` integer NOT NULL, CONSTRAINT `accounts_plans_accounts` FOREIGN KEY (`plan_id`) REFERENCES `plans` (`id`) ON DELETE NO ACTION);
-- Create index "accounts_api_key_hash_key" to table: "accounts"
CREATE UNIQUE INDEX `accounts_api_key_hash_key` ON `accounts` (`api_key_hash`);
-- Create "agents" table
CREATE TABLE `agents` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `frequency` text NOT NULL, `hours_saved_per_month` real NULL, `created_at` datetime NOT NULL, `account_id` integer NOT NULL, CONSTRAINT `agents_accounts_agents` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION);
-- Set sequence for "agents" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("agents", 4294967296);
-- Create index "agent_account_id_name" to table: "agents"
CREATE INDEX `agent_account_id_name` ON `agents` (`account_id`, `name`);
-- Create "bundles" table
CREATE TABLE `bundles` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `credits` integer NOT NULL, `remaining` integer NOT NULL, `price_micros` integer NOT NULL, `purchased_at` datetime NOT NULL, `expires_at` datetime NULL, `idempotency_key` text NOT NULL, `account_id` integer NOT NULL, `offer_id` integer NULL, CONSTRAINT `bundles_accounts_bundles` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `bundles_bundle_offers_bundles` FOREIGN KEY (`offer_id`) REFERENCES `bundle_offers` (`id`) ON DELETE SET NULL);
-- Set sequence for "bundles" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("bundles", 8589934592);
-- Create index "bundle_account_id_idempotency_key" to table: "bundles"
CREATE UNIQUE INDEX `bundle_account_id_idempotency_key` ON `bundles` (`account_id`, `idempotency_key`);
-- Create index "bundle_account_id_expires_at_purchased_at" to table: "bundles"
CREATE INDEX `bundle_account_id_expires_at_purchased_at` ON `bundles` (`account_id`, `expires_at`, `purchased_at`);
-- Create "bundle_offers" table
CREATE TABLE `bundle_offers` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `credits` integer NOT NULL, `price_micros` integer NOT NULL, `validity_days` integer NULL, `active` bool NOT NULL DEFAULT (true));
-- Set sequence for "bundle_offers" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("bundle_offers", 12884901888);
-- Create "plans" table
CREATE TABLE `plans` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `name` text NOT NULL, `monthly_credits` integer NOT NULL, `credit_value_micros` integer NOT NULL);
-- Set sequence for "plans" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("plans", 17179869184);
-- Create index "plans_name_key" to table: "plans"
CREATE UNIQUE INDEX `plans_name_key` ON `plans` (`name`);
-- Create "usage_draws" table
CREATE TABLE `usage_draws` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `credits` integer NOT NULL, `bundle_id` integer NOT NULL, `usage_record_id` integer NOT NULL, CONSTRAINT `usage_draws_bundles_draws` FOREIGN KEY (`bundle_id`) REFERENCES `bundles` (`id`) ON DELETE NO ACTION, CONSTRAINT `usage_draws_usage_records_draws` FOREIGN KEY (`usage_record_id`) REFERENCES `usage_records` (`id`) ON DELETE NO ACTION);
-- Set sequence for "usage_draws" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("usage_draws", 21474836480);
-- Create "usage_records" table
CREATE TABLE `usage_records` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `category` text NOT NULL, `quantity` integer NOT NULL, `credits` integer NOT NULL, `value_micros` integer NOT NULL, `plan_credits` integer NOT NULL, `bundle_credits` integer NOT NULL, `profiles_processed` integer NULL, `description` text NULL, `idempotency_key` text NOT NULL, `request_hash` text NOT NULL, `occurred_at` datetime NOT NULL, `charged_at` datetime NOT NULL, `account_id` integer NOT NULL, `agent_id` integer NULL, CONSTRAINT `usage_records_accounts_usage_records` FOREIGN KEY (`account_id`) REFERENCES `accounts` (`id`) ON DELETE NO ACTION, CONSTRAINT `usage_records_agents_runs` FOREIGN KEY (`agent_id`) REFERENCES `agents` (`id`) ON DELETE SET NULL);
-- Set sequence for "usage_records" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("usage_records", 25769803776);
-- Create index "usagerecord_account_id_idempotency_key" to table: "usage_records"
CREATE UNIQUE INDEX `usagerecord_account_id_idempotency_key` ON `usage_records` (`account_id`, `idempotency_key`);
-- Create index "usagerecord_account_id_occurred_at" to table: "usage_records"
CREATE INDEX `usagerecord_account_id_occurred_at` ON `usage_records` (`account_id`, `occurred_at`);
-- Create index "usagerecord_agent_id_occurred_at" to table: "usage_records"
CREATE INDEX `usagerecord_agent_id_occurred_at` ON `usage_records` (`agent_id`, `occurred_at`);
-- Create "usage_rollups" table
CREATE TABLE `usage_rollups` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `account_id` integer NOT NULL, `day` datetime NOT NULL, `category` text NOT NULL, `agent_id` integer NOT NULL DEFAULT (0), `events` integer NOT NULL, `credits` integer NOT NULL, `value_micros` integer NOT NULL);
-- Set sequence for "usage_rollups" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("usage_rollups", 30064771072);
-- Create index "usagerollup_account_id_day_category_agent_id" to table: "usage_rollups"
CREATE UNIQUE INDEX `usagerollup_account_id_day_category_agent_id` ON `usage_rollups` (`account_id`, `day`, `category`, `agent_id`);
-- Create index "usagerollup_account_id_agent_id_day" to table: "usage_rollups"
CREATE INDEX `usagerollup_account_id_agent_id_day` ON `usage_rollups` (`account_id`, `agent_id`, `day`);

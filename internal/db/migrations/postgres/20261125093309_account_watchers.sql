-- Modify "accounts" table
ALTER TABLE "accounts" ADD COLUMN "watchers" bigint NOT NULL DEFAULT 0;

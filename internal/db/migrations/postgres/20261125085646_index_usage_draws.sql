-- Create index "usagedraw_bundle_id" to table: "usage_draws"
CREATE INDEX "usagedraw_bundle_id" ON "usage_draws" ("bundle_id");
-- Create index "usagedraw_usage_record_id" to table: "usage_draws"
CREATE INDEX "usagedraw_usage_record_id" ON "usage_draws" ("usage_record_id");

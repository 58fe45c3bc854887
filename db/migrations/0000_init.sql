CREATE TABLE "assignments" (
	"round_id" integer NOT NULL,
	"entry_id" integer NOT NULL,
	"juror_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignments_entry_id_juror_id_pk" PRIMARY KEY("entry_id","juror_id")
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"round_id" integer,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"serial" text NOT NULL,
	"code" text NOT NULL,
	"round_id" integer,
	"entry_id" integer,
	"recipient_id" integer,
	"subject" jsonb NOT NULL,
	"subject_name" text NOT NULL,
	"issuer" text NOT NULL,
	"decision_no" text NOT NULL,
	"decision_date" date NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"valid_until" date,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"revoked_by" text,
	"pdf_key" text,
	"pdf_sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certificates_serial_unique" UNIQUE("serial"),
	CONSTRAINT "certificates_code_unique" UNIQUE("code"),
	CONSTRAINT "certificates_entry_id_unique" UNIQUE("entry_id"),
	CONSTRAINT "certificates_recipient_id_unique" UNIQUE("recipient_id"),
	CONSTRAINT "certificates_kind_chk" CHECK ("certificates"."kind" in ('product','merit')),
	CONSTRAINT "certificates_subject_chk" CHECK (("certificates"."kind" = 'product' and "certificates"."entry_id" is not null) or ("certificates"."kind" = 'merit' and "certificates"."recipient_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "commendation_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"signed_on" date NOT NULL,
	"signer_name" text NOT NULL,
	"signer_title" text NOT NULL,
	"authority" text NOT NULL,
	"period_from" smallint NOT NULL,
	"period_to" smallint NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"issued_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commendation_decisions_number_unique" UNIQUE("number"),
	CONSTRAINT "commendation_decisions_status_chk" CHECK ("commendation_decisions"."status" in ('draft','issued')),
	CONSTRAINT "commendation_decisions_period_chk" CHECK ("commendation_decisions"."period_from" <= "commendation_decisions"."period_to")
);
--> statement-breakpoint
CREATE TABLE "commendation_recipients" (
	"id" serial PRIMARY KEY NOT NULL,
	"decision_id" integer NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"position" text,
	"organization" text,
	"province_code" text,
	"achievement" text NOT NULL,
	"ordinal" integer NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commendation_recipients_kind_chk" CHECK ("commendation_recipients"."kind" in ('collective','individual'))
);
--> statement-breakpoint
CREATE TABLE "conflicts" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"entry_id" integer,
	"facility_id" integer,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conflicts_target_chk" CHECK ("conflicts"."entry_id" is not null or "conflicts"."facility_id" is not null),
	CONSTRAINT "conflicts_kind_chk" CHECK ("conflicts"."kind" in ('declared','automatic'))
);
--> statement-breakpoint
CREATE TABLE "council_members" (
	"round_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"group_nos" smallint[] DEFAULT '{}'::smallint[] NOT NULL,
	"province_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "council_members_round_id_user_id_pk" PRIMARY KEY("round_id","user_id"),
	CONSTRAINT "council_members_role_chk" CHECK ("council_members"."role" in ('chair','member','secretary'))
);
--> statement-breakpoint
CREATE TABLE "entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"facility_id" integer NOT NULL,
	"code" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"group_no" smallint NOT NULL,
	"snapshot" jsonb,
	"lower_certificate_id" integer,
	"submitted_at" timestamp with time zone,
	"screening_note" text,
	"screened_by" text,
	"screened_at" timestamp with time zone,
	"mean_score" numeric(6, 3),
	"rank" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entries_round_product_unique" UNIQUE("round_id","product_id"),
	CONSTRAINT "entries_round_code_unique" UNIQUE("round_id","code"),
	CONSTRAINT "entries_status_chk" CHECK ("entries"."status" in ('draft','submitted','returned','eligible','ineligible','selected','not_selected','withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "facilities" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"legal_form" text NOT NULL,
	"registration_no" text NOT NULL,
	"province_code" text NOT NULL,
	"legacy_province_code" text,
	"district" text,
	"commune" text,
	"address" text NOT NULL,
	"phone" text,
	"email" text,
	"representative" text NOT NULL,
	"representative_title" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "facilities_legal_form_chk" CHECK ("facilities"."legal_form" in ('dnnvv','htx','tht','hkd'))
);
--> statement-breakpoint
CREATE TABLE "facility_invites" (
	"id" serial PRIMARY KEY NOT NULL,
	"facility_id" integer NOT NULL,
	"email" text NOT NULL,
	"invited_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "facility_members" (
	"facility_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "facility_members_facility_id_user_id_pk" PRIMARY KEY("facility_id","user_id"),
	CONSTRAINT "facility_members_role_chk" CHECK ("facility_members"."role" in ('owner','staff'))
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "jobs_status_chk" CHECK ("jobs"."status" in ('queued','running','done','failed'))
);
--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media" (
	"id" text PRIMARY KEY NOT NULL,
	"facility_id" integer NOT NULL,
	"product_id" integer,
	"kind" text NOT NULL,
	"doc_type" text,
	"mime" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"width" integer,
	"height" integer,
	"original_name" text NOT NULL,
	"storage_key" text NOT NULL,
	"variants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "media_kind_chk" CHECK ("media"."kind" in ('photo','document')),
	CONSTRAINT "media_size_chk" CHECK ("media"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE TABLE "product_groups" (
	"no" smallint PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "product_groups_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" serial PRIMARY KEY NOT NULL,
	"facility_id" integer NOT NULL,
	"name" text NOT NULL,
	"group_no" smallint NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"dossier" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme_figures" (
	"id" serial PRIMARY KEY NOT NULL,
	"indicator_code" text NOT NULL,
	"province_code" text NOT NULL,
	"year" smallint NOT NULL,
	"period_months" smallint NOT NULL,
	"plan" numeric(14, 2),
	"actual" numeric(14, 2),
	"status" text DEFAULT 'draft' NOT NULL,
	"entered_by" text,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programme_figures_unique" UNIQUE("indicator_code","province_code","year","period_months"),
	CONSTRAINT "programme_figures_period_chk" CHECK ("programme_figures"."period_months" between 1 and 12),
	CONSTRAINT "programme_figures_values_chk" CHECK (coalesce("programme_figures"."plan", 0) >= 0 and coalesce("programme_figures"."actual", 0) >= 0),
	CONSTRAINT "programme_figures_status_chk" CHECK ("programme_figures"."status" in ('draft','submitted','approved'))
);
--> statement-breakpoint
CREATE TABLE "programme_indicators" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"aggregation" text DEFAULT 'sum' NOT NULL,
	"position" smallint NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provinces" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"current_code" text NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "provinces_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "provinces_2025" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region_code" text NOT NULL,
	"is_city" boolean DEFAULT false NOT NULL,
	CONSTRAINT "provinces_2025_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "regions_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"level" text NOT NULL,
	"region_code" text,
	"province_code" text,
	"year" smallint NOT NULL,
	"registration_opens_at" timestamp with time zone NOT NULL,
	"registration_closes_at" timestamp with time zone NOT NULL,
	"scoring_closes_at" timestamp with time zone NOT NULL,
	"pass_mark" numeric(5, 2) DEFAULT '70' NOT NULL,
	"quota" integer,
	"jurors_per_entry" integer,
	"authority" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"decision_no" text,
	"decision_date" date,
	"decision_signer" text,
	"finalised_at" timestamp with time zone,
	"final_hash" text,
	"published_at" timestamp with time zone,
	"public_version" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rounds_slug_unique" UNIQUE("slug"),
	CONSTRAINT "rounds_status_chk" CHECK ("rounds"."status" in ('draft','registration','screening','scoring','deliberation','published','archived')),
	CONSTRAINT "rounds_level_chk" CHECK ("rounds"."level" in ('commune','district','province','region','national')),
	CONSTRAINT "rounds_pass_mark_chk" CHECK ("rounds"."pass_mark" >= 0 and "rounds"."pass_mark" <= 100),
	CONSTRAINT "rounds_quota_chk" CHECK ("rounds"."quota" is null or "rounds"."quota" > 0),
	CONSTRAINT "rounds_jurors_chk" CHECK ("rounds"."jurors_per_entry" is null or "rounds"."jurors_per_entry" > 0),
	CONSTRAINT "rounds_dates_chk" CHECK ("rounds"."registration_opens_at" < "rounds"."registration_closes_at"),
	CONSTRAINT "rounds_scoring_dates_chk" CHECK ("rounds"."registration_closes_at" <= "rounds"."scoring_closes_at"),
	CONSTRAINT "rounds_scope_chk" CHECK (("rounds"."level" = 'national') or "rounds"."region_code" is not null or "rounds"."province_code" is not null)
);
--> statement-breakpoint
CREATE TABLE "rubric_criteria" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"parent_id" integer,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"max_points" numeric(5, 2) NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "rubric_criteria_code_unique" UNIQUE("round_id","code"),
	CONSTRAINT "rubric_criteria_max_chk" CHECK ("rubric_criteria"."max_points" > 0 and "rubric_criteria"."max_points" <= 100)
);
--> statement-breakpoint
CREATE TABLE "score_sheets" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"entry_id" integer NOT NULL,
	"juror_id" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"total" numeric(5, 2) DEFAULT '0' NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "score_sheets_entry_juror_unique" UNIQUE("entry_id","juror_id"),
	CONSTRAINT "score_sheets_status_chk" CHECK ("score_sheets"."status" in ('draft','submitted')),
	CONSTRAINT "score_sheets_total_chk" CHECK ("score_sheets"."total" >= 0 and "score_sheets"."total" <= 100),
	CONSTRAINT "score_sheets_submitted_chk" CHECK (("score_sheets"."status" = 'submitted') = ("score_sheets"."submitted_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "scores" (
	"sheet_id" integer NOT NULL,
	"criterion_id" integer NOT NULL,
	"points" numeric(5, 2) NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "scores_sheet_id_criterion_id_pk" PRIMARY KEY("sheet_id","criterion_id"),
	CONSTRAINT "scores_points_chk" CHECK ("scores"."points" >= 0 and "scores"."points" * 2 = trunc("scores"."points" * 2))
);
--> statement-breakpoint
CREATE TABLE "serial_counters" (
	"prefix" text PRIMARY KEY NOT NULL,
	"last" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tie_resolutions" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"tied_entry_ids" integer[] NOT NULL,
	"selected_entry_ids" integer[] NOT NULL,
	"reason" text NOT NULL,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_roles" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"scope_level" text,
	"scope_region" text,
	"scope_province" text,
	"granted_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_roles_unique" UNIQUE NULLS NOT DISTINCT("user_id","role","scope_level","scope_region","scope_province"),
	CONSTRAINT "user_roles_role_chk" CHECK ("user_roles"."role" in ('facility','juror','organizer','ministry','admin')),
	CONSTRAINT "user_roles_level_chk" CHECK ("user_roles"."scope_level" is null or "user_roles"."scope_level" in ('commune','district','province','region','national'))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"full_name" text NOT NULL,
	"phone" text,
	"title" text,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_juror_id_users_id_fk" FOREIGN KEY ("juror_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_recipient_id_commendation_recipients_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."commendation_recipients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendation_decisions" ADD CONSTRAINT "commendation_decisions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendation_recipients" ADD CONSTRAINT "commendation_recipients_decision_id_commendation_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."commendation_decisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendation_recipients" ADD CONSTRAINT "commendation_recipients_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_members" ADD CONSTRAINT "council_members_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_members" ADD CONSTRAINT "council_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_group_no_product_groups_no_fk" FOREIGN KEY ("group_no") REFERENCES "public"."product_groups"("no") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entries" ADD CONSTRAINT "entries_screened_by_users_id_fk" FOREIGN KEY ("screened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_province_code_provinces_2025_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces_2025"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_legacy_province_code_provinces_code_fk" FOREIGN KEY ("legacy_province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facility_invites" ADD CONSTRAINT "facility_invites_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facility_invites" ADD CONSTRAINT "facility_invites_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facility_members" ADD CONSTRAINT "facility_members_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "facility_members" ADD CONSTRAINT "facility_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media" ADD CONSTRAINT "media_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media" ADD CONSTRAINT "media_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media" ADD CONSTRAINT "media_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_group_no_product_groups_no_fk" FOREIGN KEY ("group_no") REFERENCES "public"."product_groups"("no") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_figures" ADD CONSTRAINT "programme_figures_indicator_code_programme_indicators_code_fk" FOREIGN KEY ("indicator_code") REFERENCES "public"."programme_indicators"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_figures" ADD CONSTRAINT "programme_figures_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_figures" ADD CONSTRAINT "programme_figures_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_figures" ADD CONSTRAINT "programme_figures_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provinces" ADD CONSTRAINT "provinces_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provinces" ADD CONSTRAINT "provinces_current_code_provinces_2025_code_fk" FOREIGN KEY ("current_code") REFERENCES "public"."provinces_2025"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provinces_2025" ADD CONSTRAINT "provinces_2025_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rubric_criteria" ADD CONSTRAINT "rubric_criteria_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_sheets" ADD CONSTRAINT "score_sheets_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_sheets" ADD CONSTRAINT "score_sheets_entry_id_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_sheets" ADD CONSTRAINT "score_sheets_juror_id_users_id_fk" FOREIGN KEY ("juror_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_sheet_id_score_sheets_id_fk" FOREIGN KEY ("sheet_id") REFERENCES "public"."score_sheets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_criterion_id_rubric_criteria_id_fk" FOREIGN KEY ("criterion_id") REFERENCES "public"."rubric_criteria"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tie_resolutions" ADD CONSTRAINT "tie_resolutions_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tie_resolutions" ADD CONSTRAINT "tie_resolutions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_scope_region_regions_code_fk" FOREIGN KEY ("scope_region") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_juror_idx" ON "assignments" USING btree ("round_id","juror_id");--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "certificates_round_idx" ON "certificates" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "commendation_recipients_decision_idx" ON "commendation_recipients" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "conflicts_round_user_idx" ON "conflicts" USING btree ("round_id","user_id");--> statement-breakpoint
CREATE INDEX "entries_round_status_idx" ON "entries" USING btree ("round_id","status");--> statement-breakpoint
CREATE INDEX "entries_facility_idx" ON "entries" USING btree ("facility_id");--> statement-breakpoint
CREATE UNIQUE INDEX "facilities_registration_no_idx" ON "facilities" USING btree (upper("registration_no"));--> statement-breakpoint
CREATE UNIQUE INDEX "facility_invites_unique" ON "facility_invites" USING btree ("facility_id",lower("email"));--> statement-breakpoint
CREATE INDEX "facility_members_user_idx" ON "facility_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_active_target_idx" ON "jobs" USING btree ("kind","target") WHERE "jobs"."status" in ('queued','running');--> statement-breakpoint
CREATE INDEX "media_product_idx" ON "media" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "products_facility_idx" ON "products" USING btree ("facility_id");--> statement-breakpoint
CREATE INDEX "rubric_criteria_round_idx" ON "rubric_criteria" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "score_sheets_round_idx" ON "score_sheets" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_idx" ON "users" USING btree (lower("email"));
ALTER TABLE "rounds" ADD COLUMN "intake_mode" text DEFAULT 'direct' NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_intake_mode_chk" CHECK ("intake_mode" in ('direct','nomination'));--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "eligibility" jsonb;--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "lower_certificate_check" jsonb;--> statement-breakpoint
CREATE TABLE "round_quotas" (
	"round_id" integer NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
	"province_code" text NOT NULL,
	"places" integer NOT NULL,
	CONSTRAINT "round_quotas_pk" PRIMARY KEY ("round_id", "province_code"),
	CONSTRAINT "round_quotas_places_chk" CHECK ("places" > 0)
);--> statement-breakpoint
CREATE TABLE "nomination_letters" (
	"id" serial PRIMARY KEY NOT NULL,
	"to_round_id" integer NOT NULL REFERENCES "rounds"("id"),
	"from_round_id" integer REFERENCES "rounds"("id"),
	"province_code" text NOT NULL,
	"letter_no" text NOT NULL,
	"letter_date" date NOT NULL,
	"signer" text NOT NULL,
	"pdf_key" text,
	"pdf_sha256" text,
	"pdf_name" text,
	"created_by" text REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nomination_letters_no_unique" UNIQUE ("to_round_id", "letter_no")
);--> statement-breakpoint
CREATE TABLE "nominations" (
	"id" serial PRIMARY KEY NOT NULL,
	"letter_id" integer NOT NULL REFERENCES "nomination_letters"("id"),
	"to_round_id" integer NOT NULL REFERENCES "rounds"("id"),
	"product_id" integer NOT NULL REFERENCES "products"("id"),
	"facility_id" integer NOT NULL REFERENCES "facilities"("id"),
	"from_entry_id" integer REFERENCES "entries"("id"),
	"certificate_id" integer REFERENCES "certificates"("id"),
	"entry_id" integer REFERENCES "entries"("id"),
	"status" text DEFAULT 'nominated' NOT NULL,
	"confirmed_by" text REFERENCES "users"("id"),
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nominations_round_product_unique" UNIQUE ("to_round_id", "product_id"),
	CONSTRAINT "nominations_entry_unique" UNIQUE ("entry_id"),
	CONSTRAINT "nominations_status_chk" CHECK ("status" in ('nominated','confirmed')),
	CONSTRAINT "nominations_confirmed_chk" CHECK (("status" = 'confirmed') = ("confirmed_at" is not null))
);--> statement-breakpoint
CREATE INDEX "nominations_letter_idx" ON "nominations" ("letter_id");--> statement-breakpoint
CREATE INDEX "nominations_facility_idx" ON "nominations" ("facility_id");--> statement-breakpoint
CREATE TABLE "holidays" (
	"day" date PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);

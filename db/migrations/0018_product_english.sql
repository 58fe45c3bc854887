-- Issue 19, item 5: a facility may give its product an English name and description for the English
-- mirror of the public site (/en/products/:id), shown there marked "Provided by the facility". They
-- are read from the product, not from an entry's snapshot: a translation is not what the council
-- judged, and a facility may add it after its product was recognised (app/models/public/catalogue.server.ts).
ALTER TABLE products ADD COLUMN name_en text;
--> statement-breakpoint
ALTER TABLE products ADD COLUMN description_en text;
--> statement-breakpoint
-- When the English texts last changed: part of the public fingerprint (app/utils/public-state.server.ts).
ALTER TABLE products ADD COLUMN english_updated_at timestamptz;
--> statement-breakpoint
ALTER TABLE products ADD CONSTRAINT products_name_en_length CHECK (name_en IS NULL OR char_length(name_en) BETWEEN 1 AND 200);
--> statement-breakpoint
ALTER TABLE products ADD CONSTRAINT products_description_en_length CHECK (description_en IS NULL OR char_length(description_en) BETWEEN 1 AND 5000);
--> statement-breakpoint
ALTER TABLE products ADD CONSTRAINT products_description_en_needs_name CHECK (description_en IS NULL OR name_en IS NOT NULL);
--> statement-breakpoint
-- A change of the English texts changes public pages: every process re-reads the public state.
CREATE TRIGGER products_english_public_state AFTER UPDATE OF name_en, description_en ON products
  FOR EACH STATEMENT EXECUTE FUNCTION cnnt_notify_public_state();

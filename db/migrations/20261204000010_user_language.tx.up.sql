-- A user's preferred language of the web UI (es, en); empty: the
-- browser's Accept-Language, else the shop's language.
ALTER TABLE users ADD COLUMN language VARCHAR(8) NOT NULL DEFAULT '';

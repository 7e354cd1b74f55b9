-- How the columns of a workbook were matched to fields, as a user corrected it, kept by the
-- shape of the header (its words in order) so the next file laid out the same way is read
-- the same way.
CREATE TABLE import_mappings (
    kind TEXT NOT NULL,
    shape TEXT NOT NULL,
    mapping TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, shape)
);

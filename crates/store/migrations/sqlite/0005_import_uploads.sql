-- A workbook uploaded for import, kept from its dry run to its commit (then deleted), so the
-- office confirms exactly the file it checked. Old uploads are removed when new ones arrive.
CREATE TABLE import_uploads (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX import_uploads_user ON import_uploads(user_id);

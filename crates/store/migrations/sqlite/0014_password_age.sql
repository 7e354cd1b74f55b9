-- 等保: passwords are changed periodically. When each account's password was last set.
ALTER TABLE users ADD COLUMN password_changed_at TEXT NOT NULL DEFAULT '';
UPDATE users SET password_changed_at = created_at;

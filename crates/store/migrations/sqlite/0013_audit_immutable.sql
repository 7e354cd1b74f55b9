-- 等保三级: the audit log is written once and never changed. Whether the event succeeded is a
-- column of its own; UPDATE is refused always, DELETE for any row younger than 180 days (the
-- shortest retention allowed), by the database itself, whoever asks.

ALTER TABLE audit_log ADD COLUMN success BIGINT NOT NULL DEFAULT 1;
UPDATE audit_log SET success = 0 WHERE action = 'login_failed';
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_user ON audit_log(username, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, '审计日志不可修改');
END;

CREATE TRIGGER audit_log_keep_180_days BEFORE DELETE ON audit_log
WHEN old.at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-180 days')
BEGIN
    SELECT RAISE(ABORT, '审计日志至少保存180天');
END;


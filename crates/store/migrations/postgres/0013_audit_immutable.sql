-- 等保三级: the audit log is written once and never changed. Whether the event succeeded is a
-- column of its own; UPDATE and TRUNCATE are refused always, DELETE for any row younger than
-- 180 days (the shortest retention allowed), by the database itself, whoever asks.

ALTER TABLE audit_log ADD COLUMN success BIGINT NOT NULL DEFAULT 1;
UPDATE audit_log SET success = 0 WHERE action = 'login_failed';
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_user ON audit_log(username, at);

CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.at > to_char((now() AT TIME ZONE 'UTC') - interval '180 days', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') THEN
            RAISE EXCEPTION '审计日志至少保存180天';
        END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '审计日志不可修改';
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE TRIGGER audit_log_keep_180_days BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_guard();


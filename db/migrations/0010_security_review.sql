-- 0010_security_review: indexes behind the per-caller cap on exports still
-- being built (resources/export_limit.h), so the check on every
-- POST /exports reads only the caller's pending rows.

CREATE INDEX exports_pending_by_user ON exports (created_by, created_at)
    WHERE status = 'pending';
CREATE INDEX exports_pending_by_token ON exports (created_by_token, created_at)
    WHERE status = 'pending';

-- 0005_exports: participant exports as of a date (seed 001 §4.2.4).
--
-- An export is a row (who asked, which schemes, which date, format, status,
-- size) and its file, stored in PostgreSQL as 1 MiB chunks so every instance
-- can serve it and none keeps files on its own disk. A background job builds
-- the file by streaming the as-of query (CSV straight from COPY, XLSX through
-- libxlsxwriter's constant-memory mode), never holding all rows in memory.
-- Files expire after 90 days: the chunks are then deleted, the history row
-- stays.

CREATE TABLE exports (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id   uuid NOT NULL REFERENCES organisations (id),
    created_by        uuid REFERENCES users (id),
    created_by_token  uuid REFERENCES api_tokens (id),
    created_by_name   text NOT NULL,
    scheme_ids        uuid[] NOT NULL,
    as_of             date NOT NULL,
    format            text NOT NULL CHECK (format IN ('csv', 'xlsx')),
    language          text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    full_bsn          boolean NOT NULL DEFAULT false,
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'failed', 'expired')),
    row_count         integer,
    size_bytes        bigint,
    error             text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    expires_at        timestamptz NOT NULL DEFAULT now() + interval '90 days'
);
CREATE INDEX exports_org_created ON exports (organisation_id, created_at DESC, id DESC);

CREATE TABLE export_chunks (
    export_id  uuid NOT NULL REFERENCES exports (id),
    seq        integer NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (export_id, seq)
);

-- The rows of an export: state as of the date, as known now, one line per
-- participant, formula-like text neutralised for spreadsheets (a leading
-- apostrophe before = + - @ tab or carriage return).
CREATE FUNCTION portal_export_safe(p_text text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN left(p_text, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' || p_text
                ELSE p_text END
$$;

CREATE FUNCTION portal_export_rows(p_scheme_ids uuid[], p_as_of date, p_full_bsn boolean)
RETURNS TABLE (participant_number text, display_name text, bsn text, birth_date date,
               gender text, employment_start date, employment_end date, salary numeric,
               parttime_percentage numeric, status text, scheme_number text, scheme_name text)
LANGUAGE sql STABLE AS $$
    SELECT portal_export_safe(p.participant_number), portal_export_safe(p.display_name),
           CASE WHEN p_full_bsn THEN pt.bsn ELSE '*****' || right(pt.bsn, 4) END,
           p.birth_date, p.gender, p.employment_start, p.employment_end, p.salary,
           p.parttime_percentage, p.status, portal_export_safe(s.number), portal_export_safe(s.name)
      FROM participant_periods p
      JOIN participants pt ON pt.id = p.participant_id
      JOIN schemes s ON s.id = p.scheme_id
     WHERE p.scheme_id = ANY (p_scheme_ids) AND p.superseded_at IS NULL AND p.valid @> p_as_of
       AND p.status <> 'rejected'
     ORDER BY s.number, p.number_key, p.participant_id
$$;

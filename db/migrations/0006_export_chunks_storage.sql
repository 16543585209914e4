-- 0006_export_chunks_storage: export files are stored as they are.
--
-- CSV and XLSX chunks were TOAST-compressed on the way in: XLSX is already a
-- zip (nothing to gain) and compressing a 100,000-row CSV costs more time
-- than the export budget allows (within 1.5x of psql \copy). Out-of-line
-- storage without compression keeps the file in PostgreSQL at copy speed.
ALTER TABLE export_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

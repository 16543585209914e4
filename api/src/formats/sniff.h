/*
 * formats/sniff.h: what an uploaded file is, decided from its bytes alone
 * (never from its name or the Content-Type the client sent).
 *
 * Pure functions (but sniff_stream, which reads the file it is given): no
 * allocation that outlives a call, no I/O. A zip is only
 * called XLSX when its central directory lists both "[Content_Types].xml"
 * and "xl/workbook.xml", so a renamed .docx, .jar or .odt is not XLSX; that
 * needs the whole file (the directory sits at its end), so sniff_bytes is
 * given the whole body. With only a prefix, pass complete = 0 and a zip is
 * reported as SNIFF_ZIP_UNDECIDED.
 *
 * How each kind answers (DESIGN §4.4 "Files", §4.5):
 *   kind                      batch upload                 document upload
 *   SNIFF_EMPTY               422 file_unreadable          422 file_unreadable
 *   SNIFF_PDF                 415 unsupported_media_type   accepted (application/pdf)
 *   SNIFF_XLSX                accepted                     accepted
 *   SNIFF_OLE2 (.xls, .doc)   415 unsupported_media_type   415
 *   SNIFF_OLE2_ENCRYPTED      415 unsupported_media_type   415
 *   SNIFF_ZIP_OTHER           415 unsupported_media_type   415
 *   SNIFF_ZIP_BROKEN          422 file_unreadable          422 file_unreadable
 *   SNIFF_ZIP_UNDECIDED       (prefix only: read the whole file first)
 *   SNIFF_TEXT_UTF8           accepted as CSV              accepted (text/csv)
 *   SNIFF_TEXT_WINDOWS_1252   422 file_unreadable ("save as CSV UTF-8")
 *   SNIFF_TEXT_UTF16          422 file_unreadable ("save as CSV UTF-8")
 *   SNIFF_EXECUTABLE          415 unsupported_media_type   415
 *   SNIFF_BINARY              415 unsupported_media_type   415
 */
#ifndef PORTAL_FORMATS_SNIFF_H
#define PORTAL_FORMATS_SNIFF_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    SNIFF_EMPTY = 0,
    SNIFF_PDF,               /* starts with "%PDF-" */
    SNIFF_XLSX,              /* zip with [Content_Types].xml and xl/workbook.xml */
    SNIFF_OLE2,              /* OLE2 compound file: legacy .xls/.doc */
    SNIFF_OLE2_ENCRYPTED,    /* OLE2 holding an EncryptedPackage: a password-protected XLSX */
    SNIFF_ZIP_OTHER,         /* a readable zip that is not a workbook */
    SNIFF_ZIP_BROKEN,        /* zip signature, but the archive cannot be opened */
    SNIFF_ZIP_UNDECIDED,     /* zip signature seen in a prefix (complete = 0) */
    SNIFF_TEXT_UTF8,         /* text, valid UTF-8 (with or without BOM), no NUL */
    SNIFF_TEXT_WINDOWS_1252, /* text that is not UTF-8 but reads as Windows-1252 */
    SNIFF_TEXT_UTF16,        /* starts with a UTF-16 byte order mark */
    SNIFF_EXECUTABLE,        /* ELF or MZ (Windows) executable */
    SNIFF_BINARY             /* anything else */
} sniff_kind;

/* What the upload is used for: the accepted kinds differ. */
typedef enum { SNIFF_USE_BATCH, SNIFF_USE_DOCUMENT } sniff_use;

/* Classifies data[0..len). complete is 1 when data is the whole file (then
 * a zip is opened read-only from memory to look at its entry names), 0
 * when it is a prefix (a UTF-8 sequence cut at the end is then allowed).
 * data may be NULL when len is 0. Never fails. */
sniff_kind sniff_bytes(const void *data, size_t len, int complete);

/* Classifies an open file (an upload's spool) as sniff_bytes does the whole
 * body: from a prefix of SNIFF_STREAM_PREFIX bytes (all of a smaller file),
 * and a zip by its entry names, read through libzip from the file itself.
 * The one function here that reads: f's position moves, f stays the
 * caller's. Returns 0 with *kind set, or -1 when f cannot be read. Text
 * past the prefix is not looked at: the CSV reader refuses bytes that are
 * not UTF-8 wherever they are. */
#define SNIFF_STREAM_PREFIX 65536
int sniff_stream(FILE *f, sniff_kind *kind);

/* A static lower-case name for logs and tests ("xlsx"). */
const char *sniff_kind_name(sniff_kind kind);

/* The verdict for kind used as `use`: returns 0 when accepted (then
 * *content_type, if not NULL, is the static MIME type to store), else the
 * HTTP status (415 or 422) with *code the stable problem code
 * ("unsupported_media_type" or "file_unreadable"). Any out pointer may be
 * NULL. */
int sniff_verdict(sniff_kind kind, sniff_use use, const char **code, const char **content_type);

/* A static sentence for the problem's detail, saying what to do, in Dutch
 * ("nl", the default) or English ("en"). */
const char *sniff_detail(sniff_kind kind, const char *lang);

/* 1 when data[0..len) is valid UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF). With allow_cut_end, a sequence cut short by the end of
 * the data is accepted. */
int sniff_is_utf8(const unsigned char *data, size_t len, int allow_cut_end);

#endif

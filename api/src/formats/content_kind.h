/*
 * formats/content_kind.h: what an uploaded file is, decided by its bytes
 * alone (never by its name or the type the client declared).
 *
 * Accepted: PDF (starts with "%PDF-"), XLSX (a zip holding
 * "[Content_Types].xml" and "xl/workbook.xml", checked with libzip) and CSV
 * (non-empty UTF-8 text without NUL bytes). Everything else is refused:
 * empty files, OLE2 (old .xls/.doc), executables (ELF, PE/MZ, Mach-O,
 * scripts starting with "#!"), other zips and binary data.
 */
#ifndef PORTAL_FORMATS_CONTENT_KIND_H
#define PORTAL_FORMATS_CONTENT_KIND_H

#include <stdio.h>

typedef enum {
    CONTENT_UNKNOWN = 0, /* not one of the accepted kinds */
    CONTENT_EMPTY,       /* no bytes at all */
    CONTENT_PDF,
    CONTENT_XLSX,
    CONTENT_CSV
} content_kind;

/*
 * content_kind_of_file -- reads the whole of f (from its start; f stays
 * open and owned by the caller, its position is left undefined) and names
 * its kind. Reads in blocks of 64 KiB, so memory stays small whatever the
 * size. A read error counts as CONTENT_UNKNOWN.
 */
content_kind content_kind_of_file(FILE *f);

/* The media type of an accepted kind ("application/pdf", ...), or NULL. */
const char *content_kind_media_type(content_kind kind);

/* The usual file extension of an accepted kind ("pdf"), or NULL. */
const char *content_kind_extension(content_kind kind);

#endif

/* formats/sniff.c: see sniff.h. */
#include "formats/sniff.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

int sniff_is_utf8(const unsigned char *s, size_t len, int allow_cut_end)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0; /* no overlongs */
            else if (c == 0xED)
                hi = 0x9F; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F; /* nothing above U+10FFFF */
        } else {
            return 0;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= len)
                return allow_cut_end ? 1 : 0;
            unsigned char t = s[i + k];
            unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
            if (t < l || t > h)
                return 0;
        }
        i += need + 1;
    }
    return 1;
}

/* 1 when the OLE2 file holds the stream name "EncryptedPackage" (UTF-16LE),
 * which is how Office stores a password-protected OOXML document. */
static int sniff_ole2_encrypted(const unsigned char *s, size_t len)
{
    static const char name[] = "EncryptedPackage";
    unsigned char wide[2 * (sizeof name - 1)];
    for (size_t i = 0; i < sizeof name - 1; i++) {
        wide[2 * i] = (unsigned char)name[i];
        wide[2 * i + 1] = 0;
    }
    for (size_t i = 0; i + sizeof wide <= len; i++)
        if (s[i] == wide[0] && memcmp(s + i, wide, sizeof wide) == 0)
            return 1;
    return 0;
}

/* Opens the zip read-only from memory and looks at its entry names. */
static sniff_kind sniff_zip(const void *data, size_t len)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    if (!src) {
        zip_error_fini(&err);
        return SNIFF_ZIP_BROKEN;
    }
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    zip_error_fini(&err);
    if (!z) {
        zip_source_free(src);
        return SNIFF_ZIP_BROKEN;
    }
    int xlsx = zip_name_locate(z, "[Content_Types].xml", 0) >= 0 &&
               zip_name_locate(z, "xl/workbook.xml", 0) >= 0;
    zip_discard(z); /* also frees src */
    return xlsx ? SNIFF_XLSX : SNIFF_ZIP_OTHER;
}

/* As sniff_zip, for an open file: libzip reads it through a FILE of its own
 * on a duplicate descriptor (and closes that); f stays the caller's. */
static sniff_kind sniff_zip_stream(FILE *f)
{
    int fd = dup(fileno(f));
    FILE *copy = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!copy) {
        if (fd >= 0)
            close(fd);
        return SNIFF_ZIP_BROKEN;
    }
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_filep_create(copy, 0, -1, &err);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err) : NULL;
    zip_error_fini(&err);
    if (!z) {
        if (src)
            zip_source_free(src); /* closes copy */
        else
            fclose(copy);
        return SNIFF_ZIP_BROKEN;
    }
    int xlsx = zip_name_locate(z, "[Content_Types].xml", 0) >= 0 &&
               zip_name_locate(z, "xl/workbook.xml", 0) >= 0;
    zip_discard(z);
    return xlsx ? SNIFF_XLSX : SNIFF_ZIP_OTHER;
}

/* Text or binary, by the bytes: no NUL, no control characters but tab, line
 * ends, form feed and a DOS end-of-file mark. */
static sniff_kind sniff_text(const unsigned char *s, size_t len, int complete)
{
    int high = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x0C && c != 0x1A)
            return SNIFF_BINARY;
        if (c == 0x7F)
            return SNIFF_BINARY;
        high |= c >= 0x80;
    }
    if (!high || sniff_is_utf8(s, len, !complete))
        return SNIFF_TEXT_UTF8;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D)
            return SNIFF_BINARY; /* not assigned in Windows-1252 */
    }
    return SNIFF_TEXT_WINDOWS_1252;
}

sniff_kind sniff_bytes(const void *data, size_t len, int complete)
{
    const unsigned char *s = data;
    if (!s || len == 0)
        return SNIFF_EMPTY;
    static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= 5 && memcmp(s, "%PDF-", 5) == 0)
        return SNIFF_PDF;
    if (len >= 8 && memcmp(s, ole2, 8) == 0)
        return sniff_ole2_encrypted(s, len) ? SNIFF_OLE2_ENCRYPTED : SNIFF_OLE2;
    if (len >= 4 && memcmp(s, "PK\x03\x04", 4) == 0)
        return complete ? sniff_zip(data, len) : SNIFF_ZIP_UNDECIDED;
    if (len >= 4 && (memcmp(s, "PK\x05\x06", 4) == 0 || memcmp(s, "PK\x07\x08", 4) == 0))
        return SNIFF_ZIP_BROKEN; /* empty or spanned archive */
    if (len >= 4 && memcmp(s,
                           "\x7F"
                           "ELF",
                           4) == 0)
        return SNIFF_EXECUTABLE;
    if (len >= 2 && s[0] == 'M' && s[1] == 'Z')
        return SNIFF_EXECUTABLE;
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return SNIFF_TEXT_UTF16;
    return sniff_text(s, len, complete);
}

const char *sniff_kind_name(sniff_kind kind)
{
    switch (kind) {
    case SNIFF_EMPTY:
        return "empty";
    case SNIFF_PDF:
        return "pdf";
    case SNIFF_XLSX:
        return "xlsx";
    case SNIFF_OLE2:
        return "ole2";
    case SNIFF_OLE2_ENCRYPTED:
        return "ole2_encrypted";
    case SNIFF_ZIP_OTHER:
        return "zip_other";
    case SNIFF_ZIP_BROKEN:
        return "zip_broken";
    case SNIFF_ZIP_UNDECIDED:
        return "zip_undecided";
    case SNIFF_TEXT_UTF8:
        return "text_utf8";
    case SNIFF_TEXT_WINDOWS_1252:
        return "text_windows_1252";
    case SNIFF_TEXT_UTF16:
        return "text_utf16";
    case SNIFF_EXECUTABLE:
        return "executable";
    case SNIFF_BINARY:
        return "binary";
    }
    return "binary";
}

#define SNIFF_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int sniff_verdict(sniff_kind kind, sniff_use use, const char **code, const char **content_type)
{
    const char *type = NULL;
    int status = 0;
    switch (kind) {
    case SNIFF_XLSX:
        type = SNIFF_XLSX_TYPE;
        break;
    case SNIFF_TEXT_UTF8:
        type = "text/csv";
        break;
    case SNIFF_PDF:
        if (use == SNIFF_USE_DOCUMENT)
            type = "application/pdf";
        else
            status = 415;
        break;
    case SNIFF_EMPTY:
    case SNIFF_ZIP_BROKEN:
    case SNIFF_ZIP_UNDECIDED:
    case SNIFF_TEXT_WINDOWS_1252:
    case SNIFF_TEXT_UTF16:
        status = 422;
        break;
    case SNIFF_OLE2:
    case SNIFF_OLE2_ENCRYPTED:
    case SNIFF_ZIP_OTHER:
    case SNIFF_EXECUTABLE:
    case SNIFF_BINARY:
    default:
        status = 415;
        break;
    }
    if (code)
        *code = status == 0 ? NULL : status == 415 ? "unsupported_media_type" : "file_unreadable";
    if (content_type)
        *content_type = type;
    return status;
}

const char *sniff_detail(sniff_kind kind, const char *lang)
{
    int en = lang && strcmp(lang, "en") == 0;
    switch (kind) {
    case SNIFF_EMPTY:
        return en ? "The file is empty." : "Het bestand is leeg.";
    case SNIFF_OLE2:
        return en ? "This is an old Excel file (.xls). Save it as Excel workbook (.xlsx) or CSV "
                    "UTF-8 and upload it again."
                  : "Dit is een oud Excel-bestand (.xls). Sla het op als Excel-werkmap (.xlsx) of "
                    "CSV UTF-8 en upload het opnieuw.";
    case SNIFF_OLE2_ENCRYPTED:
        return en ? "The workbook is protected with a password. Remove the password and upload it "
                    "again."
                  : "De werkmap is met een wachtwoord beveiligd. Verwijder het wachtwoord en "
                    "upload "
                    "het opnieuw.";
    case SNIFF_ZIP_BROKEN:
    case SNIFF_ZIP_UNDECIDED:
        return en ? "The file is damaged or incomplete. Save it again and upload it again."
                  : "Het bestand is beschadigd of onvolledig. Sla het opnieuw op en upload het "
                    "opnieuw.";
    case SNIFF_TEXT_WINDOWS_1252:
    case SNIFF_TEXT_UTF16:
        return en ? "The text file is not UTF-8. In Excel choose Save as, type \"CSV UTF-8 "
                    "(comma delimited)\"."
                  : "Het tekstbestand is geen UTF-8. Kies in Excel Opslaan als, type \"CSV "
                    "UTF-8 (door komma's gescheiden)\".";
    case SNIFF_PDF:
    case SNIFF_XLSX:
    case SNIFF_TEXT_UTF8:
    case SNIFF_ZIP_OTHER:
    case SNIFF_EXECUTABLE:
    case SNIFF_BINARY:
    default:
        return en ? "Only CSV (UTF-8) and Excel workbooks (.xlsx) can be read here."
                  : "Alleen CSV (UTF-8) en Excel-werkmappen (.xlsx) kunnen hier worden gelezen.";
    }
}

int sniff_stream(FILE *f, sniff_kind *kind)
{
    unsigned char head[SNIFF_STREAM_PREFIX];
    *kind = SNIFF_EMPTY;
    if (fseek(f, 0, SEEK_SET) != 0)
        return -1;
    size_t n = fread(head, 1, sizeof head, f);
    if (ferror(f))
        return -1;
    *kind = sniff_bytes(head, n, n < sizeof head);
    if (*kind == SNIFF_ZIP_UNDECIDED)
        *kind = sniff_zip_stream(f);
    return 0;
}

/* formats/content_kind.c: see content_kind.h. */
#include "formats/content_kind.h"

#include <string.h>
#include <unistd.h>

#include <zip.h>

#define CONTENT_BLOCK (64 * 1024)

/* 1 when the first bytes are a kind that is never accepted, whatever
 * follows: OLE2 compound files, ELF, PE (MZ), Mach-O and scripts. */
static int content_refused_magic(const unsigned char *b, size_t n)
{
    static const unsigned char ole2[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    static const unsigned char elf[] = {0x7F, 'E', 'L', 'F'};
    static const unsigned char macho[][4] = {{0xFE, 0xED, 0xFA, 0xCE},
                                             {0xFE, 0xED, 0xFA, 0xCF},
                                             {0xCE, 0xFA, 0xED, 0xFE},
                                             {0xCF, 0xFA, 0xED, 0xFE},
                                             {0xCA, 0xFE, 0xBA, 0xBE}};
    if (n >= sizeof ole2 && memcmp(b, ole2, sizeof ole2) == 0)
        return 1;
    if (n >= sizeof elf && memcmp(b, elf, sizeof elf) == 0)
        return 1;
    if (n >= 2 && ((b[0] == 'M' && b[1] == 'Z') || (b[0] == '#' && b[1] == '!')))
        return 1;
    for (size_t i = 0; i < sizeof macho / sizeof macho[0]; i++)
        if (n >= 4 && memcmp(b, macho[i], 4) == 0)
            return 1;
    return 0;
}

/* 1 when the zip behind f holds the two parts every XLSX workbook has. */
static int content_is_xlsx(FILE *f)
{
    int fd = dup(fileno(f));
    if (fd < 0)
        return 0;
    if (lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return 0;
    }
    int err = 0;
    zip_t *z = zip_fdopen(fd, ZIP_RDONLY, &err); /* owns fd from here on */
    if (!z) {
        close(fd);
        return 0;
    }
    int ok = zip_name_locate(z, "[Content_Types].xml", 0) >= 0 &&
             zip_name_locate(z, "xl/workbook.xml", 0) >= 0;
    zip_discard(z);
    return ok;
}

/* UTF-8 checker state carried across blocks: how many continuation bytes
 * the current sequence still needs, and bounds for the next one. */
typedef struct {
    int need;
    unsigned char lo, hi; /* allowed range of the next continuation byte */
} utf8_state;

/* Feeds n bytes; 0 when they break UTF-8 or hold a NUL. */
static int utf8_feed(utf8_state *s, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = b[i];
        if (s->need) {
            if (c < s->lo || c > s->hi)
                return 0;
            s->need--;
            s->lo = 0x80;
            s->hi = 0xBF;
            continue;
        }
        if (c == 0)
            return 0;
        if (c < 0x80)
            continue;
        s->lo = 0x80;
        s->hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            s->need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            s->need = 2;
            if (c == 0xE0)
                s->lo = 0xA0;
            else if (c == 0xED)
                s->hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            s->need = 3;
            if (c == 0xF0)
                s->lo = 0x90;
            else if (c == 0xF4)
                s->hi = 0x8F;
        } else {
            return 0;
        }
    }
    return 1;
}

content_kind content_kind_of_file(FILE *f)
{
    static const unsigned char zip_magic[] = {'P', 'K', 0x03, 0x04};
    unsigned char block[CONTENT_BLOCK];
    if (!f || fseek(f, 0, SEEK_SET) != 0)
        return CONTENT_UNKNOWN;
    size_t n = fread(block, 1, sizeof block, f);
    if (ferror(f))
        return CONTENT_UNKNOWN;
    if (n == 0)
        return CONTENT_EMPTY;
    if (content_refused_magic(block, n))
        return CONTENT_UNKNOWN;
    if (n >= 5 && memcmp(block, "%PDF-", 5) == 0)
        return CONTENT_PDF;
    if (n >= sizeof zip_magic && memcmp(block, zip_magic, sizeof zip_magic) == 0)
        return content_is_xlsx(f) ? CONTENT_XLSX : CONTENT_UNKNOWN;
    /* Text: valid UTF-8 (a byte order mark is fine) without NUL, throughout. */
    utf8_state s = {0, 0x80, 0xBF};
    while (n > 0) {
        if (!utf8_feed(&s, block, n))
            return CONTENT_UNKNOWN;
        n = fread(block, 1, sizeof block, f);
        if (ferror(f))
            return CONTENT_UNKNOWN;
    }
    return s.need ? CONTENT_UNKNOWN : CONTENT_CSV;
}

const char *content_kind_media_type(content_kind kind)
{
    switch (kind) {
    case CONTENT_PDF:
        return "application/pdf";
    case CONTENT_XLSX:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case CONTENT_CSV:
        return "text/csv; charset=utf-8";
    case CONTENT_UNKNOWN:
    case CONTENT_EMPTY:
        break;
    }
    return NULL;
}

const char *content_kind_extension(content_kind kind)
{
    switch (kind) {
    case CONTENT_PDF:
        return "pdf";
    case CONTENT_XLSX:
        return "xlsx";
    case CONTENT_CSV:
        return "csv";
    case CONTENT_UNKNOWN:
    case CONTENT_EMPTY:
        break;
    }
    return NULL;
}

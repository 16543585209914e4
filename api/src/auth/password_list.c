/* auth/password_list.c: the common-password list used by the password
 * policy in auth/password.c (see password_internal.h). Owns the list's text
 * and its sorted index; loaded once by password_init, freed by
 * password_shutdown. */
#include "auth/password_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Caps on the common-password file. */
#define LIST_MAX_FILE_BYTES (16L * 1024 * 1024)
#define LIST_MAX_ENTRY_BYTES POLICY_MAX_BYTES

static char *g_list_text;   /* the file, NUL-separated entries */
static const char **g_list; /* sorted, distinct, lower-case entries */
static size_t g_list_len;

/* qsort/bsearch order of the entries: plain strcmp. */
static int compare_entries(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Lower-cases the ASCII letters of s in place; other bytes stay. */
void password_ascii_lower(char *s)
{
    for (; *s; s++) {
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
    }
}

/* Frees the loaded list, if any; the list is empty afterwards. */
void password_list_free(void)
{
    free(g_list);
    free(g_list_text);
    g_list = NULL;
    g_list_text = NULL;
    g_list_len = 0;
}

/* Reads the whole file at path (at most LIST_MAX_FILE_BYTES) into a new
 * NUL-terminated buffer the caller frees. PORTAL_ERR_IO, _TOO_LARGE or
 * _MEMORY on failure, with nothing allocated. */
static portal_result list_read_file(const char *path, char **text_out, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return PORTAL_ERR_IO;
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return PORTAL_ERR_IO;
    }
    long size = ftell(f);
    if (size < 0 || size > LIST_MAX_FILE_BYTES || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return size > LIST_MAX_FILE_BYTES ? PORTAL_ERR_TOO_LARGE : PORTAL_ERR_IO;
    }
    char *text = malloc((size_t)size + 1);
    if (!text) {
        fclose(f);
        return PORTAL_ERR_MEMORY;
    }
    size_t got = fread(text, 1, (size_t)size, f);
    int failed = ferror(f);
    fclose(f);
    if (failed || got != (size_t)size) {
        free(text);
        return PORTAL_ERR_IO;
    }
    text[got] = '\0';
    *text_out = text;
    *len_out = got;
    return PORTAL_OK;
}

/* Loads the list at path (see password_internal.h). */
portal_result password_list_load(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    portal_result rc = list_read_file(path, &text, &len);
    if (rc != PORTAL_OK)
        return rc;

    size_t lines = 1;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            lines++;
    }
    const char **entries = calloc(lines, sizeof *entries);
    if (!entries) {
        free(text);
        return PORTAL_ERR_MEMORY;
    }

    size_t n = 0;
    char *line = text;
    while (line < text + len) {
        char *end = memchr(line, '\n', (size_t)(text + len - line));
        char *next = end ? end + 1 : text + len;
        if (!end)
            end = text + len;
        *end = '\0';
        size_t l = (size_t)(end - line);
        if (l > 0 && line[l - 1] == '\r')
            line[--l] = '\0';
        if (l > 0 && l <= LIST_MAX_ENTRY_BYTES && line[0] != '#' && n < lines) {
            password_ascii_lower(line);
            entries[n++] = line;
        }
        line = next;
    }
    if (n == 0) {
        free(entries);
        free(text);
        return PORTAL_ERR_INVALID;
    }

    qsort(entries, n, sizeof *entries, compare_entries);
    size_t distinct = 1;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(entries[i], entries[distinct - 1]) != 0)
            entries[distinct++] = entries[i];
    }
    g_list_text = text;
    g_list = entries;
    g_list_len = distinct;
    return PORTAL_OK;
}

/* 1 when lower is on the loaded list; 0 when not or none is loaded. */
int password_list_contains(const char *lower)
{
    if (!g_list)
        return 0;
    return bsearch(&lower, g_list, g_list_len, sizeof *g_list, compare_entries) != NULL;
}

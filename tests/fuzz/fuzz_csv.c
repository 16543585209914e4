/* tests/fuzz/fuzz_csv.c: libFuzzer target for the streaming CSV reader and
 * its cell helpers. The first byte chooses the chunk size, so chunk
 * boundaries fall everywhere: inside quotes, line ends and UTF-8. The same
 * bytes read from a FILE (csv_read_stream, as an upload's spool is read)
 * must end as feeding them does. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "formats/csv_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the helpers on every cell and checks the cell invariants. */
static portal_result fuzz_row(void *ctx, const sheet_row *row)
{
    (void)ctx;
    for (size_t i = 0; i < row->n_cells; i++) {
        const sheet_cell *c = &row->cells[i];
        if (strlen(c->text) != c->len)
            __builtin_trap();
        char out[64];
        civil_date d;
        (void)csv_decimal_comma_to_point(c->text, c->len, out, sizeof out);
        (void)csv_parse_date(c->text, c->len, &d);
    }
    return PORTAL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = (size_t)data[0] % 17 + 1;
    data++;
    size--;
    csv_limits lim = {.max_field_bytes = 256, .max_columns = 16, .max_rows = 1000};
    csv_reader *r = NULL;
    if (csv_reader_new(&lim, fuzz_row, NULL, &r) != PORTAL_OK)
        return 0;
    portal_result rc = PORTAL_OK;
    for (size_t off = 0; off < size && rc == PORTAL_OK; off += chunk)
        rc = csv_reader_feed(r, data + off, size - off < chunk ? size - off : chunk);
    if (rc == PORTAL_OK)
        rc = csv_reader_finish(r);
    csv_reason reason = csv_reader_reason(r);
    (void)csv_reason_name(reason);
    csv_reader_free(r);
    FILE *f = size ? fmemopen((void *)data, size, "rb") : NULL;
    if (f) {
        csv_reason stream_reason = CSV_REASON_NONE;
        portal_result stream_rc = csv_read_stream(f, &lim, fuzz_row, NULL, &stream_reason, NULL);
        fclose(f);
        if (stream_rc != rc || stream_reason != reason)
            __builtin_trap();
    }
    return 0;
}

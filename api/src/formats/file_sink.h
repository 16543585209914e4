/*
 * formats/file_sink.h: where a generated file goes: a file descriptor (a
 * temporary file or pipe the HTTP layer streams from) or a capped memory
 * buffer (base/buf.h), so writers need not know which.
 *
 * libxlsxwriter can only write to a path, so the XLSX writers make a
 * private temporary file (mode 0600, in $TMPDIR or /tmp), let libxlsxwriter
 * write it, copy it into the sink in 64 KiB chunks and unlink it: the whole
 * workbook is never in memory unless the sink is a buffer.
 */
#ifndef PORTAL_FORMATS_FILE_SINK_H
#define PORTAL_FORMATS_FILE_SINK_H

#include <stddef.h>

#include "base/buf.h"
#include "base/result.h"

typedef struct {
    int fd;   /* written to when mem is NULL; the caller owns and closes it */
    buf *mem; /* appended to when not NULL (its cap applies) */
} file_sink;

/* Writes len bytes to the sink. PORTAL_ERR_IO when the descriptor fails,
 * PORTAL_ERR_TOO_LARGE when the buffer's cap is reached. */
portal_result file_sink_write(const file_sink *sink, const void *data, size_t len);

/* Creates an empty private temporary file and writes its path into
 * path[size] (64 bytes are enough unless $TMPDIR is long). The caller
 * unlinks it (file_sink_copy_file does). PORTAL_ERR_IO on failure. */
portal_result file_sink_temp_path(char *path, size_t size);

/* Copies the file at path into the sink in chunks, then unlinks path (also
 * on failure). */
portal_result file_sink_copy_file(const file_sink *sink, const char *path);

#endif

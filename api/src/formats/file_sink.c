/* formats/file_sink.c: see file_sink.h. */
#include "formats/file_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define FILE_SINK_CHUNK 65536

portal_result file_sink_write(const file_sink *sink, const void *data, size_t len)
{
    if (sink->mem)
        return buf_append(sink->mem, data, len);
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(sink->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return PORTAL_ERR_IO;
        p += n;
        len -= (size_t)n;
    }
    return PORTAL_OK;
}

portal_result file_sink_temp_path(char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    int n = snprintf(path, size, "%s/portal-xlsx-XXXXXX", dir);
    if (n < 0 || (size_t)n >= size)
        return PORTAL_ERR_IO;
    int fd = mkstemp(path); /* mode 0600 */
    if (fd < 0)
        return PORTAL_ERR_IO;
    close(fd);
    return PORTAL_OK;
}

portal_result file_sink_copy_file(const file_sink *sink, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    if (fd < 0)
        return PORTAL_ERR_IO;
    char *chunk = malloc(FILE_SINK_CHUNK);
    if (!chunk) {
        close(fd);
        return PORTAL_ERR_MEMORY;
    }
    portal_result rc = PORTAL_OK;
    for (;;) {
        ssize_t n = read(fd, chunk, FILE_SINK_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = PORTAL_ERR_IO;
        if (n <= 0)
            break;
        rc = file_sink_write(sink, chunk, (size_t)n);
        if (rc)
            break;
    }
    free(chunk);
    close(fd);
    return rc;
}

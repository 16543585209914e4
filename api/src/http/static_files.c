/* http/static_files.c: see static_files.h. */
#include "http/static_files.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/response.h"

const char *http_static_content_type(const char *name)
{
    static const struct {
        const char *ext;
        const char *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".webp", "image/webp"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

/* A request path is safe when it has no "..", no backslash and no NUL. */
static int static_path_safe(const char *p)
{
    if (strstr(p, "..") || strchr(p, '\\'))
        return 0;
    return 1;
}

/* Reads a regular file of at most STATIC_MAX_FILE bytes; NULL otherwise. */
static char *static_read(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *data = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= STATIC_MAX_FILE) {
        data = malloc((size_t)st.st_size + 1);
        size_t got = 0;
        while (data && got < (size_t)st.st_size) {
            ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
            if (n <= 0) {
                free(data);
                data = NULL;
                break;
            }
            got += (size_t)n;
        }
        *len = got;
    }
    close(fd);
    return data;
}

int http_static_serve(struct _u_response *response, const char *dir, const char *url_path)
{
    char path[2048];
    size_t len = 0;
    char *data = NULL;
    const char *served = "index.html";
    if (static_path_safe(url_path) && strcmp(url_path, "/") != 0) {
        snprintf(path, sizeof path, "%s%s", dir, url_path);
        data = static_read(path, &len);
        if (data)
            served = url_path;
    }
    if (!data) {
        snprintf(path, sizeof path, "%s/index.html", dir);
        data = static_read(path, &len);
        served = "index.html";
    }
    if (!data)
        return 0;
    http_set_header(response, "Content-Type", http_static_content_type(served));
    if (strncmp(served, "/assets/", 8) == 0)
        http_set_header(response, "Cache-Control", "public, max-age=31536000, immutable");
    else
        http_set_header(response, "Cache-Control", "no-cache");
    ulfius_set_binary_body_response(response, 200, data, len);
    free(data);
    return 1;
}

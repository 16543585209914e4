/* store/migrate.c: see migrate.h. */
#include "store/migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/crypto.h"
#include "base/log.h"
#include "store/db.h"

#define MIGRATE_MAX_FILES 1000
#define MIGRATE_MAX_FILE_BYTES (4 * 1024 * 1024)
#define MIGRATE_LOCK_KEY "7243100421"

static int migrate_name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len < 10 || len > 200 || strcmp(name + len - 4, ".sql") != 0)
        return 0;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)name[i]))
            return 0;
    return name[4] == '_';
}

static int migrate_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a whole file into a malloc'd NUL-terminated string, or NULL. */
static char *migrate_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size > MIGRATE_MAX_FILE_BYTES) {
        fclose(f);
        return NULL;
    }
    char *text = malloc((size_t)st.st_size + 1);
    if (text && fread(text, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        free(text);
        text = NULL;
    }
    if (text)
        text[st.st_size] = '\0';
    fclose(f);
    return text;
}

static portal_result migrate_apply(db_conn *db, const char *dir, const char *name)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *sql = migrate_read(path);
    if (!sql) {
        fprintf(stderr, "migrate: cannot read %s\n", path);
        return PORTAL_ERR_IO;
    }
    char checksum[CRYPTO_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(sql, checksum);
    char version[5];
    memcpy(version, name, 4);
    version[4] = '\0';

    const char *params[] = {version, name, checksum};
    PGresult *res =
        db_query(db, "SELECT checksum FROM schema_migrations WHERE version = $1", 1, params);
    if (!res) {
        free(sql);
        return PORTAL_ERR_DATABASE;
    }
    if (PQntuples(res) == 1) {
        int changed = strcmp(PQgetvalue(res, 0, 0), checksum) != 0;
        PQclear(res);
        free(sql);
        if (changed) {
            fprintf(stderr,
                    "migrate: %s was changed after it was applied; add a new migration "
                    "instead\n",
                    name);
            return PORTAL_ERR_INVALID;
        }
        return PORTAL_OK;
    }
    PQclear(res);

    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK && db_exec_script(db, sql) != PORTAL_OK) {
        fprintf(stderr, "migrate: %s failed: %s\n", name, db_error_message(db));
        rc = PORTAL_ERR_DATABASE;
    }
    if (rc == PORTAL_OK &&
        db_exec(db, "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                3, params) != PORTAL_OK) {
        fprintf(stderr, "migrate: recording %s failed: %s\n", name, db_error_message(db));
        rc = PORTAL_ERR_DATABASE;
    }
    if (rc == PORTAL_OK && db_commit(db) != PORTAL_OK) {
        fprintf(stderr, "migrate: %s failed at commit: %s\n", name, db_error_message(db));
        rc = PORTAL_ERR_DATABASE;
    }
    if (rc != PORTAL_OK)
        db_rollback(db);
    else
        fprintf(stderr, "migrate: applied %s\n", name);
    free(sql);
    return rc;
}

portal_result migrate_run(const char *database_url, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "migrate: cannot open the migrations folder %s\n", dir);
        return PORTAL_ERR_IO;
    }
    char *names[MIGRATE_MAX_FILES];
    int count = 0;
    const struct dirent *e;
    portal_result rc = PORTAL_OK;
    while ((e = readdir(d)) != NULL) {
        if (!migrate_name_ok(e->d_name))
            continue;
        if (count == MIGRATE_MAX_FILES) {
            rc = PORTAL_ERR_TOO_LARGE;
            break;
        }
        names[count] = strdup(e->d_name);
        if (!names[count]) {
            rc = PORTAL_ERR_MEMORY;
            break;
        }
        count++;
    }
    closedir(d);
    qsort(names, (size_t)count, sizeof names[0], migrate_compare);

    db_conn *db = rc == PORTAL_OK ? db_connect_dedicated(database_url) : NULL;
    if (rc == PORTAL_OK && !db) {
        fprintf(stderr, "migrate: cannot connect to the database (PORTAL_DATABASE_URL)\n");
        rc = PORTAL_ERR_DATABASE;
    }
    if (db) {
        if (db_exec_script(db, "SET client_min_messages = warning") != PORTAL_OK ||
            db_exec_script(db, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")") != PORTAL_OK ||
            db_exec_script(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version text PRIMARY KEY,"
                               " name text NOT NULL,"
                               " checksum text NOT NULL,"
                               " applied_at timestamptz NOT NULL DEFAULT now())") != PORTAL_OK) {
            fprintf(stderr, "migrate: %s\n", db_error_message(db));
            rc = PORTAL_ERR_DATABASE;
        }
        for (int i = 0; i < count && rc == PORTAL_OK; i++)
            rc = migrate_apply(db, dir, names[i]);
        db_exec_script(db, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")");
        db_close_dedicated(db);
    }
    for (int i = 0; i < count; i++)
        free(names[i]);
    return rc;
}

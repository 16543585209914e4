/* tests/unit/write_templates.c: writes the batch templates and an errors
 * workbook into a folder, for check_templates.py to open with openpyxl (a
 * second, independent reader of what the portal writes). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "formats/batch_errors_xlsx.h"
#include "formats/batch_templates.h"

/* Opens dir/name for writing; -1 on failure. */
static int open_out(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: write_templates <folder>\n");
        return 2;
    }
    const batch_salary_row rows[] = {
        {"2001681", "Assob, G., ter", "1970-05-17", "52242.28", "100"},
        {"2001682", "Jansen, P.", "1985-12-31", "41000.50", "80.5"},
        {"2001683", "de Vries, J.", "1990-02-01", "30000", "50"},
    };
    int status = 0;
    int fd = open_out(argv[1], "salary_change.xlsx");
    file_sink sink = {.fd = fd, .mem = NULL};
    if (fd < 0 || batch_template_salary_xlsx(rows, 3, "nl", &sink) != PORTAL_OK)
        status = 1;
    if (fd >= 0)
        close(fd);
    fd = open_out(argv[1], "new_participants.xlsx");
    sink.fd = fd;
    if (fd < 0 || batch_template_new_participants_xlsx(NULL, "en", &sink) != PORTAL_OK)
        status = 1;
    if (fd >= 0)
        close(fd);
    const char *head[] = {"participant_number", "new_salary"};
    const char *row[] = {"2001681", "abc"};
    batch_errors_xlsx *x = NULL;
    fd = open_out(argv[1], "errors.xlsx");
    sink.fd = fd;
    if (fd < 0 || batch_errors_xlsx_open(head, 2, "nl", &x) != PORTAL_OK ||
        batch_errors_xlsx_row(x, row, 2, "Geen bedrag") != PORTAL_OK ||
        batch_errors_xlsx_finish(x, &sink) != PORTAL_OK)
        status = 1;
    if (fd >= 0)
        close(fd);
    return status;
}

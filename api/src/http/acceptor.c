/* http/acceptor.c: see acceptor.h. Linux (accept4, eventfd). */
#define _GNU_SOURCE /* accept4 */
#include "http/acceptor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

/* Connections taken per wake-up before looking at the stop signal again. */
#define ACCEPT_BATCH 64
/* Pause after the process or the system ran out of descriptors or memory,
 * so that a full accept queue does not spin the thread. */
#define ACCEPT_BACKOFF_MS 20

static struct {
    struct MHD_Daemon *daemon;
    int listen_fd;
    int stop_fd; /* eventfd: readable once stopping */
    pthread_t thread;
    int running;
} acceptor = {.listen_fd = -1, .stop_fd = -1};

int http_acceptor_listen(const char *address, unsigned port, int backlog)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (port > 65535 || inet_pton(AF_INET, address, &addr.sin_addr) != 1) {
        errno = EINVAL;
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        bind(fd, (const struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, backlog) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

static void acceptor_pause(void)
{
    struct timespec t = {0, ACCEPT_BACKOFF_MS * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        ;
}

/* Takes what is queued on the listening socket, up to ACCEPT_BATCH, and
 * hands each connection to MHD (which closes it when it cannot take it). */
static void acceptor_take_queued(void)
{
    for (int n = 0; n < ACCEPT_BATCH; n++) {
        struct sockaddr_storage addr;
        socklen_t len = sizeof addr;
        int fd = accept4(acceptor.listen_fd, (struct sockaddr *)&addr, &len,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                log_warning("event=accept_failed errno=%d", errno);
                acceptor_pause();
            }
            return; /* EAGAIN (nothing queued), a connection reset while queued, ... */
        }
        MHD_add_connection(acceptor.daemon, fd, (const struct sockaddr *)&addr, len);
    }
}

static void *acceptor_main(void *unused)
{
    (void)unused;
    for (;;) {
        struct pollfd p[2] = {{.fd = acceptor.listen_fd, .events = POLLIN},
                              {.fd = acceptor.stop_fd, .events = POLLIN}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            log_error("event=accept_poll_failed errno=%d", errno);
            return NULL;
        }
        if (p[1].revents)
            return NULL;
        if (p[0].revents)
            acceptor_take_queued();
    }
}

portal_result http_acceptor_start(struct MHD_Daemon *daemon, int listen_fd)
{
    if (acceptor.running || !daemon || listen_fd < 0)
        return PORTAL_ERR_INTERNAL;
    acceptor.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (acceptor.stop_fd < 0)
        return PORTAL_ERR_INTERNAL;
    acceptor.daemon = daemon;
    acceptor.listen_fd = listen_fd;
    if (pthread_create(&acceptor.thread, NULL, acceptor_main, NULL) != 0) {
        close(acceptor.stop_fd);
        acceptor.stop_fd = -1;
        return PORTAL_ERR_INTERNAL;
    }
    acceptor.running = 1;
    return PORTAL_OK;
}

void http_acceptor_stop(void)
{
    if (!acceptor.running)
        return;
    uint64_t one = 1;
    if (write(acceptor.stop_fd, &one, sizeof one) != (ssize_t)sizeof one)
        log_warning("event=acceptor_stop_signal_failed errno=%d", errno);
    pthread_join(acceptor.thread, NULL);
    close(acceptor.stop_fd);
    acceptor.stop_fd = -1;
    acceptor.listen_fd = -1;
    acceptor.daemon = NULL;
    acceptor.running = 0;
}

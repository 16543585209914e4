/* http/drain.c: see drain.h. Linux only (a socket filter and TCP_INFO). */
#include "http/drain.h"

#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "http/acceptor.h"

/* How long handshakes already answered get to complete after new ones are
 * refused, and how long the acceptor gets at most to take what they queued. */
#define DRAIN_SETTLE_MS 100
#define DRAIN_QUEUE_MAX_MS 2000
#define DRAIN_POLL_MS 20
#define DRAIN_WAIT_MS 50

static atomic_int drain_on;

void http_drain_begin(void)
{
    atomic_store(&drain_on, 1);
}

int http_draining(void)
{
    return atomic_load(&drain_on);
}

/* Sleeps ms milliseconds (also across signals). */
static void drain_sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        ;
}

/* Milliseconds on the monotonic clock. */
static long long drain_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Attaches to the listening socket fd a filter that drops every segment
 * opening a connection (SYN without ACK): the client's SYN goes
 * unanswered (it sends it again later and is then refused), while the last
 * ACK of a handshake already answered still passes, so that connection
 * reaches the accept queue. 0, or -1 with errno. */
static int drain_drop_syn(int fd)
{
    /* A TCP socket's filter sees the TCP header at offset 0: byte 13 holds
     * the flags, SYN 0x02 and ACK 0x10. */
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 13),          /* the flags */
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x12),       /* SYN and ACK only */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x02, 0, 1), /* SYN alone? */
        BPF_STMT(BPF_RET | BPF_K, 0),                    /* yes: dropped */
        BPF_STMT(BPF_RET | BPF_K, 0xFFFFFFFFu),          /* else kept whole */
    };
    struct sock_fprog prog = {.len = (unsigned short)(sizeof code / sizeof code[0]),
                              .filter = code};
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
}

/* Connections waiting in the accept queue of the listening socket fd
 * (Linux reports it as tcpi_unacked of a listener), or -1. */
static int drain_queued(int fd)
{
    struct tcp_info info;
    socklen_t len = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
        return -1;
    return (int)info.tcpi_unacked;
}

void http_drain_close_listener(int listen_fd)
{
    if (listen_fd >= 0 && drain_drop_syn(listen_fd) == 0) {
        /* The acceptor still accepts: wait until what was queued is taken. */
        long long start = drain_now_ms();
        drain_sleep_ms(DRAIN_SETTLE_MS);
        while (drain_queued(listen_fd) > 0 && drain_now_ms() - start < DRAIN_QUEUE_MAX_MS)
            drain_sleep_ms(DRAIN_POLL_MS);
    } else if (listen_fd >= 0) {
        log_warning("event=drain_filter_failed errno=%d", errno);
    }
    http_acceptor_stop();
}

unsigned http_drain_wait(struct MHD_Daemon *daemon, unsigned max_seconds, const sigset_t *interrupt)
{
    long long deadline = drain_now_ms() + (long long)max_seconds * 1000;
    for (;;) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        unsigned open = info ? info->num_connections : 0;
        if (open == 0 || drain_now_ms() >= deadline)
            return open;
        if (!interrupt) {
            drain_sleep_ms(DRAIN_WAIT_MS);
            continue;
        }
        struct timespec tick = {0, DRAIN_WAIT_MS * 1000000L};
        if (sigtimedwait(interrupt, NULL, &tick) > 0) {
            log_info("event=drain_cut_short reason=second_signal");
            return open;
        }
    }
}

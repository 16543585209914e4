/*
 * http/drain.h: connection draining when the server is told to stop, so a
 * rolling restart behind a proxy fails no request (reads nor writes).
 *
 * On SIGTERM the server (server.c):
 *   1. http_drain_begin: from now on /readyz answers 503 and every answer
 *      carries "Connection: close", so a proxy stops keeping connections
 *      to this instance;
 *   2. http_drain_close_listener, then closing the listening socket:
 *      takes no new connection; one a client has already opened (even one
 *      still in the kernel's accept queue) is served, a new one is refused
 *      at once (a proxy tries another instance, also for a POST, as
 *      nothing was sent);
 *   3. http_drain_wait: until every open connection is closed by its
 *      client, or PORTAL_DRAIN_SECONDS pass, or a second signal comes;
 *   then the framework stops (closing what is left) and the workers stop.
 */
#ifndef PORTAL_HTTP_DRAIN_H
#define PORTAL_HTTP_DRAIN_H

#include <microhttpd.h>
#include <signal.h>

/* Enters draining (once; later calls change nothing). Thread-safe. */
void http_drain_begin(void);

/* 1 once draining began. Thread-safe; any request thread may ask. */
int http_draining(void);

/* Stops the listening socket listen_fd from taking new connections
 * without resetting any that a client already opened: new SYNs are
 * dropped by a socket filter while the acceptor (http/acceptor.h) takes
 * what is queued, for up to two seconds; then the acceptor stops. The
 * caller closes listen_fd afterwards, which refuses new connections. */
void http_drain_close_listener(int listen_fd);

/* Waits until daemon has no open connection or max_seconds pass, or, when
 * interrupt is not NULL, one of its signals (blocked in the calling thread)
 * arrives: a second SIGTERM/SIGINT stops at once. Returns the connections
 * still open (closed by MHD_stop_daemon). */
unsigned http_drain_wait(struct MHD_Daemon *daemon, unsigned max_seconds,
                         const sigset_t *interrupt);

#endif

/*
 * http/acceptor.h: the listening socket and the thread that accepts on it.
 *
 * MHD's worker threads, left to accept for themselves, each take up to ten
 * queued connections in a row, and a connection stays with the thread that
 * took it: in the list benchmark one thread of eight held seventeen of 32
 * keep-alive connections and two held none, so the requests on the crowded
 * thread waited behind each other (the list's p99 at 32 connections was
 * mostly that wait). Here one thread accepts and hands each connection to
 * MHD with MHD_add_connection, which gives it to the worker whose number
 * follows from the descriptor's, so that connections opened together are
 * spread over all workers. MHD's limits (connections in all, per address)
 * and timeouts apply as before.
 */
#ifndef PORTAL_HTTP_ACCEPTOR_H
#define PORTAL_HTTP_ACCEPTOR_H

#include <microhttpd.h>

#include "base/result.h"

/* Opens a TCP listening socket on the IPv4 address (dotted quad) and port,
 * with a backlog of backlog connections. Returns the descriptor, owned by
 * the caller, or -1 (with errno) when the address is invalid or cannot be
 * bound. */
int http_acceptor_listen(const char *address, unsigned port, int backlog);

/* Starts the accepting thread on listen_fd for daemon, which must have been
 * started with MHD_USE_NO_LISTEN_SOCKET and MHD_USE_ITC. One acceptor per
 * process. PORTAL_ERR_INTERNAL when the thread cannot start. */
portal_result http_acceptor_start(struct MHD_Daemon *daemon, int listen_fd);

/* Stops the accepting thread (connections still queued on the socket stay
 * queued) and waits for it to end; the socket stays open and the caller's.
 * Safe to call when it never started or already stopped. */
void http_acceptor_stop(void);

#endif

/*
 * formats/mail_message.h: builds an RFC 5322 / MIME text message (UTF-8,
 * CRLF line ends) from sender, recipient, subject and body.
 *
 * The same bytes go over SMTP and into the development .eml files, so what a
 * developer reads is what a user would receive.
 */
#ifndef PORTAL_FORMATS_MAIL_MESSAGE_H
#define PORTAL_FORMATS_MAIL_MESSAGE_H

#include <stddef.h>
#include <time.h>

#include "base/result.h"

#define MAIL_MAX_MESSAGE (256 * 1024)

/* Builds the message into a malloc'd string (*out, caller frees).
 * PORTAL_ERR_INVALID when a header value holds CR or LF (header injection)
 * or the recipient is not an address; *out is then NULL. */
portal_result mail_message_build(const char *from, const char *to, const char *subject,
                                 const char *body, time_t date, const char *message_id_domain,
                                 char **out);

/* Extracts the bare address from "Name <addr>" or "addr" into out. */
portal_result mail_address_only(const char *mailbox, char *out, size_t size);

#endif

/*
 * domain/participant_format.h: how a participant's personal data is written
 * and checked field by field (DESIGN.md §4.3, seed 001 §4.1).
 *
 * Owns: the display name of the participant overview ("Assob, G., ter":
 * surname, initials, tussenvoegsel), normalised initials ("g.j." -> "G.J.",
 * derived from the first names when none are given), the shape of a
 * participant number, a postal code (Dutch "1234 AB" normalised; other
 * countries loosely), a country code and an e-mail address. Pure functions:
 * no allocation, no I/O; every output buffer is the caller's and is left
 * untouched when a function fails.
 *
 * Decisions (listed in the README by the lead):
 * - Initials are letters; a letter is an ASCII letter or one UTF-8 encoded
 *   non-ASCII character ("Ö"). Without dots every letter is one initial
 *   ("GJ" -> "G.J."); with dots the groups between them are kept
 *   ("Th.J." -> "Th.J."), each starting with a capital. Spaces are dropped.
 *   Derived initials take the first letter of every first name, names split
 *   on spaces and hyphens ("Jan-Willem Gerrit" -> "J.W.G.").
 * - The display name leaves out what is empty: "Assob, G." without a
 *   tussenvoegsel, "Assob, ter" without initials.
 * - A participant number is 1..20 characters of 0-9, A-Z, a-z and '-', not
 *   starting with '-'.
 * - A Dutch postal code is four digits (not starting with 0), an optional
 *   space and two letters, not SA, SD or SS (PostNL never issues those);
 *   it is written "1234 AB". Elsewhere a postal code is 1..16 characters of
 *   letters, digits, spaces and '-'.
 * - A country is two upper-case ASCII letters (ISO 3166-1 alpha-2 shape).
 * - An e-mail address is at most 320 bytes: a non-empty local part, one '@',
 *   a domain with a dot that neither starts nor ends it, and no spaces or
 *   control characters.
 */
#ifndef PORTAL_DOMAIN_PARTICIPANT_FORMAT_H
#define PORTAL_DOMAIN_PARTICIPANT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/result.h"

#define PARTICIPANT_NAME_MAX 100          /* characters of a first name or surname */
#define PARTICIPANT_PREFIX_MAX 20         /* characters of a tussenvoegsel */
#define PARTICIPANT_INITIALS_MAX 20       /* characters of the initials as given */
#define PARTICIPANT_INITIALS_SIZE 64      /* buffer for normalised initials plus NUL */
#define PARTICIPANT_DISPLAY_NAME_SIZE 512 /* buffer for a display name plus NUL */
#define PARTICIPANT_NUMBER_MAX 20         /* characters of a participant number */
#define PARTICIPANT_POSTAL_CODE_MAX 16    /* characters of a postal code */
#define PARTICIPANT_POSTAL_CODE_SIZE 24   /* buffer for a normalised postal code */
#define PARTICIPANT_EMAIL_MAX 320         /* bytes of an e-mail address */

/* Normalises `initials` (may be NULL or empty) into out, or derives them from
 * `first_names` (may be NULL) when initials are NULL or blank. Returns
 * PORTAL_ERR_INVALID when the initials hold anything but letters, dots and
 * spaces or when neither argument yields a letter, PORTAL_ERR_TOO_LARGE when
 * the result does not fit `size` bytes. */
portal_result participant_format_initials(const char *initials, const char *first_names, char *out,
                                          size_t size);

/* Writes "surname, initials, prefix" into out (`size` bytes), leaving out the
 * initials and the prefix when NULL or empty. surname is required (not NULL,
 * not empty): PORTAL_ERR_INVALID otherwise; PORTAL_ERR_TOO_LARGE when it does
 * not fit. */
portal_result participant_format_display_name(const char *surname, const char *initials,
                                              const char *surname_prefix, char *out, size_t size);

/* True when number has the shape of a participant number (see above). */
bool participant_number_is_valid(const char *number);

/* Checks and normalises a postal code for `country` (two letters; "NL" gets
 * the Dutch rule) into out (`size` bytes). PORTAL_ERR_INVALID for a code
 * that breaks the rule or a NULL argument, PORTAL_ERR_TOO_LARGE when it does
 * not fit. */
portal_result participant_postal_code_normalize(const char *country, const char *postal_code,
                                                char *out, size_t size);

/* True when country is two upper-case ASCII letters. */
bool participant_country_is_valid(const char *country);

/* True when email has the shape described above. */
bool participant_email_is_valid(const char *email);

#endif

/* store/batches_internal.h: what store/batches.c and store/batches_copy.c share; not for use
 * outside them. */
#ifndef PORTAL_STORE_BATCHES_INTERNAL_H
#define PORTAL_STORE_BATCHES_INTERNAL_H

#include <stddef.h>

/* Copies the text in into out (size bytes), cut to fit and always
 * terminated (NULL as empty); the caller owns both buffers. Never fails. */
void batches_copy_text(char *out, size_t size, const char *in);

#endif

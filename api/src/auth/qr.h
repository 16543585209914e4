/*
 * auth/qr.h: QR codes as SVG, for showing an otpauth:// URI at enrolment.
 */
#ifndef PORTAL_AUTH_QR_H
#define PORTAL_AUTH_QR_H

#include "base/result.h"

/* Longest text qr_svg encodes, in bytes. */
#define QR_TEXT_MAX 1024

/* Renders text (8-bit mode, error correction level M) as a standalone SVG:
 * a white background, one <path> holding the dark modules, a 4-module quiet
 * zone, a viewBox in module units, shape-rendering="crispEdges" and a <title>.
 * The text itself never appears in the SVG. On PORTAL_OK *svg_out is a
 * malloc'd NUL-terminated string the caller frees. Returns PORTAL_ERR_INVALID
 * for empty text, PORTAL_ERR_TOO_LARGE when text exceeds QR_TEXT_MAX,
 * PORTAL_ERR_MEMORY or PORTAL_ERR_INTERNAL when libqrencode fails; on error
 * *svg_out is NULL. Thread-safe. */
portal_result qr_svg(const char *text, char **svg_out);

#endif

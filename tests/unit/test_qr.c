/* Unit tests for auth/qr: the SVG is well-formed and shows exactly the
 * modules libqrencode computed, inside a quiet zone. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "auth/qr.h"

static const char URI[] = "otpauth://totp/Portal:jan.de.vries%40example.nl?secret="
                          "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Portal&algorithm=SHA1"
                          "&digits=6&period=30";

static void test_svg_shape(void **state)
{
    (void)state;
    char *svg = NULL;
    assert_int_equal(qr_svg(URI, &svg), PORTAL_OK);
    assert_non_null(svg);
    assert_true(strncmp(svg, "<svg", 4) == 0);
    assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
    assert_non_null(strstr(svg, "<path"));
    assert_non_null(strstr(svg, "viewBox=\"0 0 "));
    assert_non_null(strstr(svg, "shape-rendering=\"crispEdges\""));
    assert_non_null(strstr(svg, "<title>"));
    assert_int_equal(strcmp(svg + strlen(svg) - 6, "</svg>"), 0);
    /* the secret is drawn, never written out */
    assert_null(strstr(svg, "GEZDGNBV"));
    assert_null(strstr(strstr(svg, "<path") + 1, "<path"));
    free(svg);
}

/* Paints the path's "Mx yhWv1h-Wz" runs into a grid of size*size. */
static void paint_path(const char *d, unsigned char *grid, int size)
{
    while (*d && *d != '"') {
        int x, y, w, w2, used = 0;
        assert_int_equal(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &w, &w2, &used), 4);
        assert_true(used > 0);
        assert_int_equal(w, w2);
        assert_true(x >= 0 && y >= 0 && w > 0 && x + w <= size && y < size);
        for (int i = 0; i < w; i++)
            grid[y * size + x + i] = 1;
        d += used;
    }
}

static void test_modules_match_libqrencode(void **state)
{
    (void)state;
    char *svg = NULL;
    assert_int_equal(qr_svg(URI, &svg), PORTAL_OK);

    QRcode *qr = QRcode_encodeString(URI, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(qr);
    int size = qr->width + 8;
    char expect_box[64];
    snprintf(expect_box, sizeof expect_box, "viewBox=\"0 0 %d %d\"", size, size);
    assert_non_null(strstr(svg, expect_box));

    unsigned char *grid = calloc((size_t)size * (size_t)size, 1);
    assert_non_null(grid);
    const char *d = strstr(svg, " d=\"");
    assert_non_null(d);
    paint_path(d + 4, grid, size);

    for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
            int inside = x >= 4 && y >= 4 && x < size - 4 && y < size - 4;
            int dark = inside && (qr->data[(y - 4) * qr->width + (x - 4)] & 1);
            assert_int_equal(grid[y * size + x], dark);
        }
    }
    /* the top-left finder pattern: a dark 7x7 ring at the quiet zone's edge */
    for (int i = 0; i < 7; i++) {
        assert_int_equal(grid[4 * size + 4 + i], 1);
        assert_int_equal(grid[(4 + i) * size + 4], 1);
    }
    free(grid);
    QRcode_free(qr);
    free(svg);
}

static void test_limits(void **state)
{
    (void)state;
    char *svg = (char *)1;
    assert_int_equal(qr_svg("", &svg), PORTAL_ERR_INVALID);
    assert_null(svg);

    char *big = malloc(QR_TEXT_MAX + 2);
    assert_non_null(big);
    memset(big, 'a', QR_TEXT_MAX + 1);
    big[QR_TEXT_MAX + 1] = '\0';
    assert_int_equal(qr_svg(big, &svg), PORTAL_ERR_TOO_LARGE);
    assert_null(svg);
    /* the largest accepted text still renders */
    big[QR_TEXT_MAX] = '\0';
    assert_int_equal(qr_svg(big, &svg), PORTAL_OK);
    assert_non_null(svg);
    free(svg);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svg_shape),
        cmocka_unit_test(test_modules_match_libqrencode),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

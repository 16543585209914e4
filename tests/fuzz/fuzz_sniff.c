/* tests/fuzz/fuzz_sniff.c: libFuzzer target for content sniffing, as a
 * whole file and as a prefix. */
#include <stddef.h>
#include <stdint.h>

#include "formats/sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int complete = 0; complete < 2; complete++) {
        sniff_kind k = sniff_bytes(data, size, complete);
        const char *code = NULL, *type = NULL;
        (void)sniff_verdict(k, SNIFF_USE_BATCH, &code, &type);
        (void)sniff_verdict(k, SNIFF_USE_DOCUMENT, &code, &type);
        (void)sniff_detail(k, "en");
        (void)sniff_kind_name(k);
    }
    return 0;
}

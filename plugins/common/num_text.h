/* num_text.h: numbers written exactly as printf writes them, without
 * printf's cost where a run writes one per paper. */
#ifndef PW_NUM_TEXT_H
#define PW_NUM_TEXT_H

#include <stddef.h>

/* v as "%+.3g" writes it, into out (size bytes); returns the length. */
size_t nt_signed_g3(char *out, size_t size, double v);

#endif

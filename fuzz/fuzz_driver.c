/* fuzz_driver.c: see fuzz_driver.h. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_driver.h"
#include "paperwire/mock_host.h"

const pw_plugin *pw_plugin_entry(void);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	while (fuzz_options[n])
		n++;
	const pw_plugin *p = pw_plugin_entry();
	const pw_host *h = pwm_host();
	pw_instance *in = pwm_instance_new_json(p->options, fuzz_options[size ? data[size - 1] % n : 0]);
	void *state = NULL;
	if (in && p->create(h, in, &state) == PW_OK) {
		pwm_route_bytes(in, "", 200, data, size);
		p->fetch(h, in, state);
		p->destroy(h, in, state);
	}
	if (in)
		pwm_instance_free(in);
	return 0;
}

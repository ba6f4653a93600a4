/* hello.c: the smallest paperwire source, built out of tree against the
 * installed SDK (see Makefile beside it). */
#include <paperwire/plugin.h>

static const pw_option hello_options[] = {
	{ PW_OPTION("greeting", PW_OPT_STRING, "Attention Is All You Need", 0, "the title to emit") }, PW_OPTIONS_END
};

static pw_status
hello_fetch(const pw_host *h, pw_instance *inst, void *state)
{
	pw_record *r = h->record_new(inst);
	(void)state; /* this source keeps no state */
	if (!r)
		return PW_ERROR;
	h->record_set(inst, r, PW_F_ID, "arXiv:1706.03762v7");
	h->record_set(inst, r, PW_F_TITLE, h->config_string(inst, "greeting"));
	h->record_add(inst, r, PW_F_AUTHORS, "Ashish Vaswani");
	return h->emit(inst, r); /* emit always takes the record */
}

static const pw_plugin hello_plugin = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "hello",
	.kind = PW_KIND_SOURCE,
	.version = "1.0",
	.description = "one paper, always (the SDK example)",
	PW_OPTIONS(hello_options),
	.fetch = hello_fetch,
};

PW_PLUGIN_DEFINE(hello_plugin)

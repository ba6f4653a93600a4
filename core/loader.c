/* loader.c: a plugin is trusted only after its descriptor has been checked
 * against the ABI this host speaks; every refusal says which file, which
 * plugin and which versions, so the user knows what to rebuild. */
#include "autoconf.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ltdl.h>

#include "config.h"
#include "loader.h"

int
ldr_init(void)
{
	return lt_dlinit() == 0 ? 0 : -1;
}

void
ldr_exit(void)
{
	lt_dlexit();
}

const char *
ldr_kind_name(pw_kind kind)
{
	switch (kind) {
	case PW_KIND_SOURCE: return "source";
	case PW_KIND_SCORER: return "scorer";
	case PW_KIND_ENRICHER: return "enricher";
	case PW_KIND_SINK: return "sink";
	}
	return "unknown";
}

/* Checks the callbacks the plugin's kind needs. */
static const char *
missing_callback(const pw_plugin *d)
{
	switch (d->kind) {
	case PW_KIND_SOURCE: return d->fetch ? NULL : "fetch";
	case PW_KIND_SCORER: return d->score ? NULL : "score";
	case PW_KIND_ENRICHER: return d->enrich ? NULL : "enrich";
	case PW_KIND_SINK: return d->write ? NULL : "write";
	}
	return NULL;
}

/* The plugin's options, read at the stride it declared (a plugin of a
 * later minor may have longer entries; an earlier one, shorter) into
 * entries of this host's size, zeroed where the plugin's end.  The
 * descriptor then points at this copy, which the registry owns. */
static int
copy_options(pw_plugin *d, char *why, size_t size)
{
	const unsigned char *raw = (const unsigned char *)d->options;
	size_t stride = d->option_size, n = 0;
	if (!raw) {
		d->option_size = sizeof(pw_option);
		return 0;
	}
	if (stride < offsetof(pw_option, help) + sizeof(const char *)) {
		snprintf(why, size,
		         "its options declare %zu bytes an entry, fewer than ABI %d.0 needs (%zu): "
		         "name them with PW_OPTIONS(array) in the descriptor",
		         stride, PW_ABI_MAJOR, offsetof(pw_option, help) + sizeof(const char *));
		d->options = NULL; /* the plugin's own: never freed */
		return -1;
	}
	while (((const pw_option *)(const void *)(raw + n * stride))->key)
		n++;
	pw_option *copy = calloc(n + 1, sizeof *copy);
	if (!copy) {
		snprintf(why, size, "out of memory");
		d->options = NULL;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		memcpy(&copy[i], raw + i * stride, stride < sizeof *copy ? stride : sizeof *copy);
	d->options = copy;
	d->option_size = sizeof *copy;
	return 0;
}

static int
vet_descriptor(const char *path, const pw_plugin *raw, pw_plugin *out, char *err, size_t err_size)
{
	const pw_abi_header *abi = &raw->abi;
	/* The name is read only once the layout is known to be ours. */
	if (abi->major != PW_ABI_MAJOR) {
		/* Another major may lay the descriptor out differently, so the
		 * plugin is named by its file, not by reading its name. */
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		snprintf(err, err_size,
		         "%s: refused: plugin '%.*s' was built for plugin ABI %u.%u, but this paperwire %s speaks ABI "
		         "%d.%d "
		         "(another major version): rebuild the plugin against this paperwire's SDK",
		         path, (int)strcspn(base, "."), base, abi->major, abi->minor, PACKAGE_VERSION, PW_ABI_MAJOR,
		         PW_ABI_MINOR);
		return -1;
	}
	if (abi->minor > PW_ABI_MINOR) {
		snprintf(err, err_size,
		         "%s: refused: plugin '%s' needs plugin ABI %u.%u, newer than ABI %d.%d of this paperwire %s: "
		         "upgrade paperwire or rebuild the plugin against this SDK",
		         path, raw->name ? raw->name : "?", abi->major, abi->minor, PW_ABI_MAJOR, PW_ABI_MINOR,
		         PACKAGE_VERSION);
		return -1;
	}
	if (abi->size < offsetof(pw_plugin, write) + sizeof raw->write) {
		snprintf(err, err_size,
		         "%s: refused: the descriptor declares %u bytes, fewer than ABI %u.0 needs (%zu)", path,
		         abi->size, abi->major, offsetof(pw_plugin, write) + sizeof raw->write);
		return -1;
	}
	memset(out, 0, sizeof *out);
	memcpy(out, raw, abi->size < sizeof *out ? abi->size : sizeof *out);
	if (!out->name || !*out->name) {
		snprintf(err, err_size, "%s: refused: the descriptor has no name", path);
		return -1;
	}
	if (out->kind < PW_KIND_SOURCE || out->kind > PW_KIND_SINK) {
		snprintf(err, err_size, "%s: refused: plugin '%s' declares unknown kind %u", path, out->name,
		         (unsigned)out->kind);
		return -1;
	}
	const char *missing = missing_callback(out);
	if (missing) {
		snprintf(err, err_size, "%s: refused: plugin '%s' is a %s but has no '%s' callback", path, out->name,
		         ldr_kind_name(out->kind), missing);
		return -1;
	}
	char why[256];
	if (copy_options(out, why, sizeof why) < 0 ||
	    cfg_schema_problem(out->options, out->kind == PW_KIND_SCORER, why, sizeof why)) {
		snprintf(err, err_size, "%s: refused: plugin '%s': %s", path, out->name, why);
		free((void *)out->options);
		out->options = NULL;
		return -1;
	}
	return 0;
}

/* The system loader's own words on an object libltdl would not load: its
 * lt_dlerror() is the last loader it tried ("file not found") or
 * "(null)" for a broken .la, not the reason. */
static void
dlopen_reason(const char *object, char *why, size_t size)
{
	void *h = dlopen(object, RTLD_NOW | RTLD_LOCAL);
	if (h) {
		dlclose(h);
		snprintf(why, size, "libltdl could not load it (%s)", lt_dlerror());
		return;
	}
	const char *e = dlerror();
	snprintf(why, size, "%s", e ? e : "the system loader gives no reason");
}

/* For a .la: the object it names (dlname=, beside it or in .libs/). */
static void
la_reason(const char *path, char *why, size_t size)
{
	FILE *f = fopen(path, "r");
	char line[1024], dlname[512] = "", object[PATH_MAX + 600];
	int libtool = 0;
	if (!f) {
		snprintf(why, size, "cannot read it: %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f)) {
		libtool |= strstr(line, "libtool") != NULL;
		if (sscanf(line, "dlname='%511[^']'", dlname) == 1)
			break;
	}
	fclose(f);
	if (!libtool || !dlname[0]) {
		snprintf(why, size, "not a libtool library file (%s)",
		         libtool ? "it names no dlname" : "no libtool header");
		return;
	}
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) : 1;
	const char *dir = slash ? path : ".";
	snprintf(object, sizeof object, "%.*s/%s", dirlen, dir, dlname);
	if (access(object, F_OK) != 0)
		snprintf(object, sizeof object, "%.*s/.libs/%s", dirlen, dir, dlname);
	if (access(object, F_OK) != 0) {
		snprintf(why, size, "the object it names, %s, is in neither %.*s nor its .libs", dlname, dirlen, dir);
		return;
	}
	dlopen_reason(object, why, size);
}

int
ldr_load_file(const char *path, ldr_plugin *out, char *err, size_t err_size)
{
	memset(out, 0, sizeof *out);
	lt_dlhandle h = lt_dlopen(path);
	if (!h) {
		char why[1024];
		size_t len = strlen(path);
		if (len > 3 && strcmp(path + len - 3, ".la") == 0)
			la_reason(path, why, sizeof why);
		else
			dlopen_reason(path, why, sizeof why);
		snprintf(err, err_size, "%s: refused: cannot load: %s", path, why);
		return -1;
	}
	pw_plugin_entry_fn entry = (pw_plugin_entry_fn)(uintptr_t)lt_dlsym(h, PW_PLUGIN_ENTRY_SYMBOL);
	if (!entry) {
		snprintf(err, err_size, "%s: refused: not a paperwire plugin: no '%s' symbol", path,
		         PW_PLUGIN_ENTRY_SYMBOL);
		lt_dlclose(h);
		return -1;
	}
	const pw_plugin *raw = entry();
	if (!raw) {
		snprintf(err, err_size, "%s: refused: %s() returned no descriptor", path, PW_PLUGIN_ENTRY_SYMBOL);
		lt_dlclose(h);
		return -1;
	}
	if (vet_descriptor(path, raw, &out->desc, err, err_size) < 0) {
		lt_dlclose(h);
		return -1;
	}
	out->path = strdup(path);
	out->handle = h;
	return 0;
}

void
ldr_unload(ldr_plugin *p)
{
	if (p->handle)
		lt_dlclose((lt_dlhandle)p->handle);
	free((void *)p->desc.options);
	free(p->path);
	memset(p, 0, sizeof *p);
}

static void
add_refusal(ldr_registry *reg, const char *msg)
{
	char **nr = realloc(reg->refusals, (reg->nrefusals + 1) * sizeof *nr);
	if (!nr)
		return;
	reg->refusals = nr;
	reg->refusals[reg->nrefusals] = strdup(msg);
	if (reg->refusals[reg->nrefusals])
		reg->nrefusals++;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The module files of dir: a libtool .la when there is one (it knows
 * where the real object is, even uninstalled), else the .so. */
static size_t
list_modules(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	*out = NULL;
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		int is_la = len > 3 && strcmp(e->d_name + len - 3, ".la") == 0;
		int is_so = len > 3 && strcmp(e->d_name + len - 3, ".so") == 0;
		if (!is_la && !is_so)
			continue;
		char **nn = realloc(names, (n + 1) * sizeof *nn);
		if (!nn)
			break;
		names = nn;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	/* Drop foo.so when foo.la is present: mark first, then compact, so no
	 * name is compared after it was freed. */
	char *drop = calloc(n + 1, 1);
	for (size_t i = 0; drop && i < n; i++) {
		size_t len = strlen(names[i]);
		if (strcmp(names[i] + len - 3, ".so") != 0)
			continue;
		for (size_t j = 0; j < n; j++)
			if (strlen(names[j]) == len && strncmp(names[j], names[i], len - 3) == 0 &&
			    strcmp(names[j] + len - 3, ".la") == 0)
				drop[i] = 1;
	}
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (drop && drop[i])
			free(names[i]);
		else
			names[kept++] = names[i];
	}
	free(drop);
	*out = names;
	return kept;
}

/* Whether path was opened already (a targeted load before a full scan). */
static int
tried(ldr_registry *reg, const char *path)
{
	for (size_t i = 0; i < reg->ntried; i++)
		if (strcmp(reg->tried[i], path) == 0)
			return 1;
	char **nt = realloc(reg->tried, (reg->ntried + 1) * sizeof *nt);
	if (nt) {
		reg->tried = nt;
		if ((nt[reg->ntried] = strdup(path)) != NULL)
			reg->ntried++;
	}
	return 0;
}

static void
load_into(ldr_registry *reg, const char *path)
{
	char err[5120];
	ldr_plugin p;
	if (tried(reg, path))
		return;
	if (ldr_load_file(path, &p, err, sizeof err) < 0) {
		add_refusal(reg, err);
		return;
	}
	/* One name may serve two kinds ("related" as a source and as an
	 * enricher): the config's section says which is meant. */
	const ldr_plugin *first = ldr_find_kind(reg, p.desc.name, p.desc.kind);
	if (first) {
		snprintf(err, sizeof err,
		         "%s: refused: duplicate plugin name '%s', already provided by %s (earlier in the "
		         "search path)",
		         path, p.desc.name, first->path);
		add_refusal(reg, err);
		ldr_unload(&p);
		return;
	}
	ldr_plugin *np = realloc(reg->plugins, (reg->count + 1) * sizeof *np);
	if (!np) {
		ldr_unload(&p);
		return;
	}
	reg->plugins = np;
	reg->plugins[reg->count++] = p;
}

static void
scan_dir(ldr_registry *reg, const char *dir)
{
	char **files;
	size_t n = list_modules(dir, &files);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		free(files[i]);
		load_into(reg, path);
	}
	free(files);
}

/* The search path: absolute directories that exist, each once. */
static ldr_registry *
registry_new(const char *const *dirs, size_t ndirs)
{
	ldr_registry *reg = calloc(1, sizeof *reg);
	if (!reg)
		return NULL;
	reg->dirs = calloc(ndirs + 1, sizeof *reg->dirs);
	for (size_t i = 0; reg->dirs && i < ndirs; i++) {
		struct stat st;
		/* A relative entry would make the working directory a plugin
		 * source; only absolute directories are searched. */
		if (!dirs[i] || dirs[i][0] != '/' || stat(dirs[i], &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		int seen = 0;
		for (size_t j = 0; j < reg->ndirs; j++)
			if (strcmp(reg->dirs[j], dirs[i]) == 0)
				seen = 1;
		if (seen)
			continue;
		reg->dirs[reg->ndirs++] = strdup(dirs[i]);
	}
	return reg;
}

ldr_registry *
ldr_scan(const char *const *dirs, size_t ndirs)
{
	ldr_registry *reg = registry_new(dirs, ndirs);
	for (size_t i = 0; reg && i < reg->ndirs; i++)
		scan_dir(reg, reg->dirs[i]);
	return reg;
}

/* The file named after the plugin, NAME.la (else NAME.so), in dir. */
static void
load_named(ldr_registry *reg, const char *dir, const char *name)
{
	static const char *const exts[] = { ".la", ".so" };
	for (size_t e = 0; e < 2; e++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s%s", dir, name, exts[e]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			load_into(reg, path);
			return;
		}
	}
}

ldr_registry *
ldr_scan_for(const char *const *dirs, size_t ndirs, const ldr_want *wants, size_t nwants)
{
	ldr_registry *reg = registry_new(dirs, ndirs);
	for (size_t w = 0; reg && w < nwants; w++) {
		/* A name with a '/' or a leading dot names no file of ours. */
		int plain = wants[w].name[0] && wants[w].name[0] != '.' && !strchr(wants[w].name, '/');
		/* Directory by directory, as ldr_scan finds the first: the file
		 * of its name, then the rest of that directory. */
		for (size_t d = 0; d < reg->ndirs && !ldr_find_kind(reg, wants[w].name, wants[w].kind); d++) {
			if (plain)
				load_named(reg, reg->dirs[d], wants[w].name);
			if (!ldr_find_kind(reg, wants[w].name, wants[w].kind))
				scan_dir(reg, reg->dirs[d]);
		}
	}
	return reg;
}

const ldr_plugin *
ldr_find_kind(const ldr_registry *reg, const char *name, pw_kind kind)
{
	for (size_t i = 0; i < reg->count; i++)
		if (strcmp(reg->plugins[i].desc.name, name) == 0 && reg->plugins[i].desc.kind == kind)
			return &reg->plugins[i];
	return NULL;
}

const ldr_plugin *
ldr_find(const ldr_registry *reg, const char *name)
{
	for (size_t i = 0; i < reg->count; i++)
		if (strcmp(reg->plugins[i].desc.name, name) == 0)
			return &reg->plugins[i];
	return NULL;
}

void
ldr_registry_free(ldr_registry *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->count; i++)
		ldr_unload(&reg->plugins[i]);
	free(reg->plugins);
	for (size_t i = 0; i < reg->nrefusals; i++)
		free(reg->refusals[i]);
	free(reg->refusals);
	for (size_t i = 0; i < reg->ndirs; i++)
		free(reg->dirs[i]);
	free(reg->dirs);
	for (size_t i = 0; i < reg->ntried; i++)
		free(reg->tried[i]);
	free(reg->tried);
	free(reg);
}

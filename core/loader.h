/* loader.h: finding, opening and vetting plugins (the only user of libltdl). */
#ifndef PW_LOADER_H
#define PW_LOADER_H

#include <stddef.h>

#include "paperwire/plugin.h"

typedef struct ldr_plugin {
	char *path;     /* the file it came from */
	pw_plugin desc; /* zeroed, then the bytes the plugin declared */
	void *handle;   /* lt_dlhandle */
} ldr_plugin;

typedef struct ldr_registry {
	ldr_plugin *plugins;
	size_t count;
	char **refusals; /* one message per file refused */
	size_t nrefusals;
	char **dirs; /* the search path, in order */
	size_t ndirs;
	char **tried; /* every file opened, once */
	size_t ntried;
} ldr_registry;

typedef struct {
	const char *name;
	pw_kind kind;
} ldr_want;

int ldr_init(void);
void ldr_exit(void);

/* Opens one file and vets its descriptor.  Returns 0, or -1 with a message
 * naming the file, the plugin and the versions involved. */
int ldr_load_file(const char *path, ldr_plugin *out, char *err, size_t err_size);
void ldr_unload(ldr_plugin *p);

/* Loads every plugin in dirs, in order; the first of a name wins and later
 * ones are refused.  Never looks in the working directory. */
ldr_registry *ldr_scan(const char *const *dirs, size_t ndirs);
/* Only what a config names: directory by directory, each plugin from the
 * file named after it (NAME.la, else NAME.so), else from the rest of that
 * directory, so the first directory that has it wins, as with ldr_scan;
 * within a directory the file of its name comes first.  A plugin's libraries cost their
 * loading time on every run (poppler's, for the llm plugin, 40 ms), so
 * the plugins a run does not use are not opened. */
ldr_registry *ldr_scan_for(const char *const *dirs, size_t ndirs, const ldr_want *wants, size_t nwants);
/* The first plugin of that name (any kind), or of that name and kind. */
const ldr_plugin *ldr_find(const ldr_registry *reg, const char *name);
const ldr_plugin *ldr_find_kind(const ldr_registry *reg, const char *name, pw_kind kind);
void ldr_registry_free(ldr_registry *reg);

const char *ldr_kind_name(pw_kind kind);

#endif

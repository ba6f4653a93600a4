/* chat_services.h: what differs between the chat services the chat sink
 * delivers to: how a paper is written in each one's dialect (escaped as it
 * escapes), what it counts against its limits, how a message is sent and
 * how its answer says it arrived. */
#ifndef PW_CHAT_SERVICES_H
#define PW_CHAT_SERVICES_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* A paper as the chat services show it: plain text, one line each, already
 * cut to fit (at a character boundary, with an ellipsis). */
typedef struct chat_paper {
	const char *title, *url, *authors, *score, *abstract;
	const char *id;     /* the paper's id, for a webhook */
	const char *fields; /* the enrichers' fields (summary, translation, label), one line, or "" */
} chat_paper;

/* One paper, or the header, in a service's dialect: a cJSON item the
 * payload takes as it is, and what it costs against the limit. */
typedef struct chat_block {
	cJSON *item;
	size_t cost;
} chat_block;

typedef struct chat_service {
	const char *name;
	const char *default_api; /* the base the `api` option defaults to, or NULL: the URL is the option */
	size_t limit;            /* per message, in what cost counts */
	size_t max_blocks;       /* papers and header per message; 0: no limit */
	size_t block_limit;      /* the most one paper may cost (Slack's section); 0: the message's limit */
	double interval;         /* seconds between two messages, the service's rate limit */
	int bytes;               /* cost counts UTF-8 bytes, else characters */
	/* The header ("paperwire: 3 papers for daily") and a paper. */
	int (*header)(const char *text, chat_block *out);
	int (*paper)(const chat_paper *p, chat_block *out);
	/* The body of one message: header then papers; the items are moved
	 * into it.  NULL when out of memory. */
	cJSON *(*payload)(const char *fallback, chat_block *blocks, size_t n);
	/* 1 when the answer says the message arrived, else 0 with why;
	 * *retry_after set (seconds) when the answer asks to wait. */
	int (*delivered)(long code, const char *body, size_t len, char *why, size_t size, double *retry_after);
} chat_service;

/* The service by name (slack, discord, telegram, feishu, lark, dingtalk,
 * wecom, webhook), or NULL. */
const chat_service *chat_service_named(const char *name);

/* Characters of s as the services count them (UTF-16 units), or its
 * bytes. */
size_t chat_cost(const char *s, int bytes);

#endif

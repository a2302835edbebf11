/* A live view of one package in a registry, kept on the event loop: the
 * first fetch at start, an auto-refresh every N seconds and on demand,
 * cheap conditional refreshes (ETag / Last-Modified), the last good answer
 * cached on disk and shown stale (with its age) while the registry fails.
 * Where the registry is comes from regconf (the playbook's URL or the
 * user's npm / pip configuration); its token goes only to its own host. */
#ifndef REWIND_CORE_REGWATCH_H
#define REWIND_CORE_REGWATCH_H

#include <stddef.h>
#include <stdint.h>

#include "registry.h"

struct http;
struct loop;
struct regconf_opts;
struct regwatch;

/* Seconds between refreshes when neither the options nor
 * REWIND_REGISTRY_REFRESH (a duration such as "30s" or "2m") say. */
#define REGWATCH_DEFAULT_REFRESH_S 30

struct regwatch_opts {
	int64_t refresh_us;	/* 0 = REWIND_REGISTRY_REFRESH or the
				 * default; < 0 = only regwatch_refresh() */
	int64_t timeout_us;	/* per request; 0 = 10 s */
	int retries;		/* extra attempts per fetch; 0 = 2, < 0 = none */
	size_t max_body;	/* 0 = 32 MiB */
	const char *cache_dir;	/* NULL = $XDG_CACHE_HOME/rewind/registry
				 * (or ~/.cache/...); "" = no disk cache */
	const struct regconf_opts *conf;	/* where to look for .npmrc /
						 * pip.conf; NULL = defaults */
};

/* Called on the loop whenever what the pane shows changes: new tags or
 * versions, a new fault, the fault cleared, stale on/off. A refresh that
 * brings the same data only moves A->fetched_at_us, silently. A is
 * borrowed and valid until the next call or regwatch_free. */
typedef void (*regwatch_cb)(const struct reg_answer *a, void *arg);

/* Watch package PACKAGE (type T) on loop L through client H (both
 * borrowed; H must outlive the watcher). TARGET_URL is the playbook's
 * registry URL or NULL (user configuration). OPTS may be NULL. The first
 * fetch starts from the loop right away; CB (ARG borrowed) reports every
 * change, including "nothing is configured" as A->error. Never fails;
 * caller frees with regwatch_free. */
struct regwatch *regwatch_new(struct loop *l, struct http *h, enum reg_type t,
			      const char *package, const char *target_url,
			      const struct regwatch_opts *opts, regwatch_cb cb,
			      void *arg);

/* Cancel W's request and timer and free it (W may be NULL); CB is not
 * called again. */
void regwatch_free(struct regwatch *w);

/* Fetch now (a no-op while a fetch is in flight); the auto-refresh timer
 * restarts from the end of this fetch. */
void regwatch_refresh(struct regwatch *w);

/* The current answer (never NULL; has_data is 0 until something arrived),
 * borrowed until the next loop callback. */
const struct reg_answer *regwatch_answer(const struct regwatch *w);

/* Whether a fetch is in flight. */
int regwatch_is_busy(const struct regwatch *w);

/* The refresh interval in use (µs; < 0 = manual only). */
int64_t regwatch_refresh_interval(const struct regwatch *w);

/* The disk cache file for request URL under CACHE_DIR (named by the URL's
 * SHA-256, so no credentials or names leak into file names); caller
 * frees. */
char *regwatch_cache_path(const char *cache_dir, const char *url);

#endif

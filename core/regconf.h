/* Where a package registry is and how to authenticate to it, found the way
 * npm and pip find it: the playbook's target URL, else the user's own
 * configuration (npm: npm_config_registry, the project / user / global
 * .npmrc with @scope:registry and //host/:_authToken; pip: PIP_INDEX_URL and
 * pip.conf). No registry host is built in. Credentials are returned apart
 * from the URL and must only ever be sent to that URL's host. */
#ifndef REWIND_CORE_REGCONF_H
#define REWIND_CORE_REGCONF_H

struct err;

struct regconf {
	char *base_url;		/* registry / index URL without user-info,
				 * ending in "/" */
	char *shown;		/* host[:port], safe for screens and journals */
	char *origin;		/* where it was configured ("playbook",
				 * "npm_config_registry", "user .npmrc
				 * (PATH)", "pip.conf (PATH)"...) */
	char *token;		/* bearer token for base_url's host, or NULL;
				 * never shown, logged or journalled */
	char *basic_auth;	/* "user:password" for that host, or NULL */
};

struct regconf_opts {
	const char *project_dir;	/* the playbook's repository; NULL = cwd */
	const char *etc_dir;		/* system config dir; NULL = "/etc" */
	const char *npm_global_rc;	/* npm's global npmrc; NULL = the
					 * etc/npmrc of the node found on PATH
					 * (or $npm_config_globalconfig) */
};

/* Find the registry for PACKAGE the way npm (resp. pip) would. TARGET_URL
 * (the playbook's targets.registry[].url, or NULL) wins over all
 * configuration; credentials for it still come from the configuration.
 * Fills OUT (zeroed by the caller; release with regconf_done); returns 0,
 * or -1 with ERR_NOTFOUND saying what to configure when nothing is,
 * ERR_INVALID for a URL that is not http(s) or a ${VAR} in .npmrc that is
 * not set. Called through the backend table: reg_backend_locate(). */
int regconf_locate_npm(const char *package, const char *target_url,
		       const struct regconf_opts *opts, struct regconf *out,
		       struct err *err);
int regconf_locate_pypi(const char *package, const char *target_url,
			const struct regconf_opts *opts, struct regconf *out,
			struct err *err);

/* Fill C from URL alone (user-info becomes basic_auth), ORIGIN saying
 * where it was written; for registries whose location only the playbook
 * gives. Returns 0, or -1 with ERR_INVALID for a URL that is not http(s). */
int regconf_locate_url(const char *url, const char *origin,
		       struct regconf *c, struct err *err);

/* Release what C holds and zero it (C may be NULL). */
void regconf_done(struct regconf *c);

/* The npm document URL of PACKAGE under BASE ("@scope/name" escaped as npm
 * does: "@scope%2fname"); caller frees. */
char *regconf_npm_url(const char *base, const char *package);

/* The PyPI JSON API URL (/pypi/NAME/json at the index's root: an index URL
 * ending in /simple/ has it one level up); caller frees. */
char *regconf_pypi_json_url(const char *base, const char *package);

/* The PEP 503/691 project page (INDEX/NORMALIZED-NAME/; a root URL gets
 * simple/ added); caller frees. */
char *regconf_pypi_simple_url(const char *base, const char *package);

#endif

/* Registry configuration as npm and pip read it: ini-style files in their
 * precedence order, environment overrides, npm's per-host credentials
 * ("nerf-darts") and pip's credentials in the index URL. */
#include "config.h"

#include "regconf.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "err.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* Config files are small; anything bigger is not a config file. */
#define CONF_MAX_BYTES (1024 * 1024)

/* --- URLs ---------------------------------------------------------------- */

struct url_parts {
	const char *scheme_end;	/* after "://" */
	const char *userinfo;	/* NULL when none */
	size_t userinfo_len;
	const char *host;	/* host[:port] */
	size_t host_len;
	const char *path;	/* from the first '/' (or "") */
};

static int
url_split(const char *url, struct url_parts *u)
{
	const char *p, *end, *at;

	if (!strncasecmp(url, "https://", 8))
		p = url + 8;
	else if (!strncasecmp(url, "http://", 7))
		p = url + 7;
	else
		return -1;
	u->scheme_end = p;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	for (const char *q = at ? at + 1 : p; at && q < end; q++)
		if (*q == '@')
			at = q;	/* the last '@' ends the user-info */
	u->userinfo = at ? p : NULL;
	u->userinfo_len = at ? (size_t)(at - p) : 0;
	u->host = at ? at + 1 : p;
	u->host_len = (size_t)(end - u->host);
	u->path = end;
	return u->host_len ? 0 : -1;
}

static char *
percent_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    hex_digit_value(s[i + 1]) >= 0 && hex_digit_value(s[i + 2]) >= 0) {
			out[o++] = (char)(hex_digit_value(s[i + 1]) * 16 +
					  hex_digit_value(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* Fill BASE_URL (no user-info, no query, ending in "/"), SHOWN and, from
 * user-info, BASIC_AUTH. */
static int
set_url(struct regconf *c, const char *url, struct err *err)
{
	struct url_parts u;
	struct strbuf sb = STRBUF_INIT;
	size_t path_len;

	if (url_split(url, &u) < 0)
		return err_set(err, ERR_INVALID, "registry URL is not an "
			       "http:// or https:// URL");
	path_len = strcspn(u.path, "?#");
	strbuf_add(&sb, url, (size_t)(u.scheme_end - url));
	strbuf_add(&sb, u.host, u.host_len);
	strbuf_add(&sb, u.path, path_len);
	if (!path_len || u.path[path_len - 1] != '/')
		strbuf_addc(&sb, '/');
	free(c->base_url);
	c->base_url = strbuf_detach(&sb);
	free(c->shown);
	c->shown = xstrndup(u.host, u.host_len);
	for (char *p = c->shown; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (u.userinfo && u.userinfo_len) {
		free(c->basic_auth);
		c->basic_auth = percent_decode(u.userinfo, u.userinfo_len);
		if (!strchr(c->basic_auth, ':')) {
			/* a token alone as user name, as pip allows */
			char *t = xasprintf("%s:", c->basic_auth);

			free(c->basic_auth);
			c->basic_auth = t;
		}
	}
	return 0;
}

int
regconf_locate_url(const char *url, const char *origin, struct regconf *c,
		   struct err *err)
{
	if (set_url(c, url, err) < 0)
		return -1;
	free(c->origin);
	c->origin = xstrdup(origin);
	return 0;
}

/* --- ini files ------------------------------------------------------------ */

struct ini {
	char *label;		/* "user .npmrc (PATH)" */
	char **keys;		/* "section.key" for pip files, "key" for npm */
	char **vals;
	size_t n;
};

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static char *
unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s[n - 1] = '\0';
		return s + 1;
	}
	return s;
}

static void
ini_add(struct ini *f, const char *section, const char *key, const char *val)
{
	f->keys = xrealloc(f->keys, (f->n + 1) * sizeof(*f->keys));
	f->vals = xrealloc(f->vals, (f->n + 1) * sizeof(*f->vals));
	f->keys[f->n] = section ? xasprintf("%s.%s", section, key)
				: xstrdup(key);
	f->vals[f->n] = xstrdup(val);
	f->n++;
}

/* One line: comments, [section] headers and key=value (pip also key:
 * value). A later duplicate key wins, as in both tools. */
static void
ini_line(struct ini *f, char *line, int pip, char **section)
{
	char *s = trim(line), *sep;

	if (!*s || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		char *close = strchr(s, ']');

		if (close) {
			*close = '\0';
			free(*section);
			*section = xstrdup(trim(s + 1));
		}
		return;
	}
	sep = pip ? s + strcspn(s, "=:") : strchr(s, '=');
	if (!sep || !*sep)
		return;
	*sep = '\0';
	ini_add(f, pip ? (*section ? *section : "") : NULL, trim(s),
		unquote(trim(sep + 1)));
}

/* Load PATH into F; a missing or unreadable file is simply absent. */
static int
ini_load(struct ini *f, const char *path, const char *label, int pip)
{
	struct strbuf sb = STRBUF_INIT;
	char *section = NULL, *line, *save = NULL;

	memset(f, 0, sizeof(*f));
	if (!path || access(path, R_OK) != 0 ||
	    strbuf_read_file(&sb, path, CONF_MAX_BYTES, NULL) < 0) {
		strbuf_done(&sb);
		return -1;
	}
	f->label = xasprintf("%s (%s)", label, path);
	for (line = sb.buf ? strtok_r(sb.buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		ini_line(f, line, pip, &section);
	free(section);
	strbuf_done(&sb);
	return 0;
}

static void
ini_done(struct ini *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->keys[i]);
		free(f->vals[i]);
	}
	free(f->keys);
	free(f->vals);
	free(f->label);
	memset(f, 0, sizeof(*f));
}

static const char *
ini_get(const struct ini *f, const char *key)
{
	for (size_t i = f->n; i-- > 0;)
		if (!strcmp(f->keys[i], key))
			return f->vals[i];
	return NULL;
}

/* --- layers ----------------------------------------------------------------- */

#define MAX_LAYERS 6

struct layers {
	struct ini files[MAX_LAYERS];	/* highest precedence first */
	size_t n;
};

static void
layers_add(struct layers *l, const char *path, const char *label, int pip)
{
	if (l->n < MAX_LAYERS && ini_load(&l->files[l->n], path, label, pip) == 0)
		l->n++;
}

static void
layers_done(struct layers *l)
{
	for (size_t i = 0; i < l->n; i++)
		ini_done(&l->files[i]);
	l->n = 0;
}

/* The value of KEY from the highest layer that sets it; *FROM gets the
 * layer's label. */
static const char *
layers_get(const struct layers *l, const char *key, const char **from)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *v = ini_get(&l->files[i], key);

		if (v) {
			if (from)
				*from = l->files[i].label;
			return v;
		}
	}
	return NULL;
}

/* getenv for npm's case-insensitive npm_config_* variables. */
static const char *
npm_env(const char *key)
{
	char lower[128], upper[128];
	const char *v;

	snprintf(lower, sizeof(lower), "npm_config_%s", key);
	snprintf(upper, sizeof(upper), "NPM_CONFIG_%s", key);
	for (char *p = upper; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	v = getenv(lower);
	if (!v || !*v)
		v = getenv(upper);
	return v && *v ? v : NULL;
}

static char *
home_path(const char *rel)
{
	const char *home = getenv("HOME");

	return home && *home ? xasprintf("%s/%s", home, rel) : NULL;
}

/* npm's project root: the nearest directory upward from DIR holding a
 * package.json or node_modules, else DIR itself. */
static char *
npm_project_rc(const char *dir)
{
	char cwd[PATH_MAX];
	char *d;

	if (!dir) {
		if (!getcwd(cwd, sizeof(cwd)))
			return NULL;
		dir = cwd;
	}
	d = xstrdup(dir);
	for (;;) {
		char *pj = xasprintf("%s/package.json", d);
		char *nm = xasprintf("%s/node_modules", d);
		int found = access(pj, F_OK) == 0 || access(nm, F_OK) == 0;
		char *slash = strrchr(d, '/');

		free(pj);
		free(nm);
		if (found || !slash || slash == d) {
			char *rc = xasprintf("%s/.npmrc", found ? d : dir);

			free(d);
			return rc;
		}
		*slash = '\0';
	}
}

/* npm's global npmrc: PREFIX/etc/npmrc, PREFIX being two levels above
 * the node binary found on PATH (no child process is run). */
static char *
npm_global_rc(void)
{
	const char *env = npm_env("globalconfig");
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *rc = NULL;

	if (env)
		return xstrdup(env);
	if (!path)
		return NULL;
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !rc;
	     dir = strtok_r(NULL, ":", &save)) {
		char *node = xasprintf("%s/node", dir);
		char real[PATH_MAX];

		if (access(node, X_OK) == 0 && realpath(node, real)) {
			char *slash = strrchr(real, '/');

			if (slash)
				*slash = '\0';
			slash = strrchr(real, '/');
			if (slash)
				*slash = '\0';
			rc = xasprintf("%s/etc/npmrc", real);
		}
		free(node);
	}
	free(copy);
	return rc;
}

static void
npm_layers(struct layers *l, const struct regconf_opts *o)
{
	const char *user_env = npm_env("userconfig");
	char *project = npm_project_rc(o ? o->project_dir : NULL);
	char *user = user_env ? xstrdup(user_env) : home_path(".npmrc");
	char *global = o && o->npm_global_rc ? xstrdup(o->npm_global_rc)
					      : npm_global_rc();

	layers_add(l, project, "project .npmrc", 0);
	if (!user || !project || strcmp(user, project))
		layers_add(l, user, "user .npmrc", 0);
	layers_add(l, global, "global npmrc", 0);
	free(project);
	free(user);
	free(global);
}

/* --- npm ---------------------------------------------------------------- */

/* Expand ${VAR} (and ${VAR?}, empty when unset) as npm does; an unset
 * ${VAR} is an error, as it is for npm. */
static char *
expand_env(const char *s, const char *where, struct err *err)
{
	struct strbuf sb = STRBUF_INIT;

	while (*s) {
		const char *close;

		if (s[0] != '$' || s[1] != '{' || !(close = strchr(s, '}'))) {
			strbuf_addc(&sb, *s++);
			continue;
		}
		{
			char *name = xstrndup(s + 2, (size_t)(close - s - 2));
			size_t n = strlen(name);
			int optional = n && name[n - 1] == '?';
			const char *v;

			if (optional)
				name[n - 1] = '\0';
			v = getenv(name);
			if (!v && !optional) {
				err_set(err, ERR_INVALID, "%s: ${%s} is not "
					"set in the environment", where, name);
				free(name);
				strbuf_done(&sb);
				return NULL;
			}
			strbuf_adds(&sb, v ? v : "");
			free(name);
			s = close + 1;
		}
	}
	return strbuf_detach(&sb);
}

static char *
base64_decode(const char *s)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = xmalloc(strlen(s) + 1);
	size_t o = 0;
	unsigned int acc = 0;
	int bits = 0;

	for (; *s && *s != '='; s++) {
		const char *p = strchr(alphabet, *s);

		if (!p || !*s)
			continue;
		acc = (acc << 6) | (unsigned int)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return out;
}

/* npm's key for URL's credentials: "//host[:port]/path/" (the path cut
 * after its last '/'). */
static char *
nerf_dart(const char *url)
{
	struct url_parts u;
	const char *slash;
	size_t path_len;

	if (url_split(url, &u) < 0)
		return NULL;
	path_len = strcspn(u.path, "?#");
	slash = path_len ? u.path + path_len : u.path;
	while (slash > u.path && slash[-1] != '/')
		slash--;
	return xasprintf("//%.*s%.*s%s", (int)u.host_len, u.host,
			 (int)(slash - u.path), u.path,
			 slash == u.path ? "/" : "");
}

/* Look up KEY+SUFFIX across the layers, expanding ${VAR}. Returns 0 with
 * *OUT set (or NULL when not configured), -1 with ERR. */
static int
npm_get(const struct layers *l, const char *key, const char *suffix,
	char **out, struct err *err)
{
	char *k = xasprintf("%s%s", key, suffix);
	const char *from = NULL;
	const char *v = layers_get(l, k, &from);
	char *where = from ? xasprintf("%s: %s", from, k) : NULL;

	*out = v ? expand_env(v, where, err) : NULL;
	free(k);
	free(where);
	return v && !*out ? -1 : 0;
}

/* Credentials for the registry at URL: the longest "//host/path/" prefix
 * with an _authToken, _auth or username/_password, as npm does. */
static int
npm_auth(const struct layers *l, const char *url, int default_registry,
	 struct regconf *c, struct err *err)
{
	char *key = nerf_dart(url);
	int rc = 0;

	while (key && strlen(key) > 2 && !c->token && !c->basic_auth) {
		char *auth = NULL, *user = NULL, *pass = NULL;
		char *slash;

		if (npm_get(l, key, ":_authToken", &c->token, err) < 0 ||
		    npm_get(l, key, ":_auth", &auth, err) < 0 ||
		    npm_get(l, key, ":username", &user, err) < 0 ||
		    npm_get(l, key, ":_password", &pass, err) < 0)
			rc = -1;
		if (!c->token && auth)
			c->basic_auth = base64_decode(auth);
		else if (!c->token && user && pass) {
			char *p = base64_decode(pass);

			c->basic_auth = xasprintf("%s:%s", user, p);
			free(p);
		}
		free(auth);
		free(user);
		free(pass);
		if (rc < 0)
			break;
		/* drop the last path segment (or the trailing slash) */
		slash = key + strlen(key) - 1;
		if (*slash == '/')
			*slash = '\0';
		else if ((slash = strrchr(key, '/')))
			slash[1] = '\0';
	}
	free(key);
	if (rc == 0 && default_registry && !c->token && !c->basic_auth) {
		char *auth = NULL;

		rc = npm_get(l, "_auth", "", &auth, err);
		if (auth)
			c->basic_auth = base64_decode(auth);
		free(auth);
	}
	return rc;
}

static char *
package_scope(const char *package)
{
	const char *slash;

	if (!package || package[0] != '@' || !(slash = strchr(package, '/')))
		return NULL;
	return xstrndup(package, (size_t)(slash - package));
}

/* The registry URL for PACKAGE: @scope:registry, then registry (the
 * environment first for the latter). */
static int
npm_registry(const struct layers *l, const char *package, char **url,
	     char **origin, struct err *err)
{
	char *scope = package_scope(package);
	const char *from = NULL, *v = NULL;
	int rc = 0;

	if (scope) {
		char *k = xasprintf("%s:registry", scope);

		v = layers_get(l, k, &from);
		free(k);
	}
	if (!v && (v = npm_env("registry")))
		from = getenv("npm_config_registry") ? "npm_config_registry"
						     : "NPM_CONFIG_REGISTRY";
	if (!v)
		v = layers_get(l, "registry", &from);
	*url = v ? expand_env(v, from, err) : NULL;
	*origin = v ? xstrdup(from) : NULL;
	if (v && !*url)
		rc = -1;
	free(scope);
	return rc;
}

int
regconf_locate_npm(const char *package, const char *target_url,
		   const struct regconf_opts *o, struct regconf *c,
		   struct err *err)
{
	struct layers l = { .n = 0 };
	char *url = NULL;
	int rc = -1;

	npm_layers(&l, o);
	if (target_url) {
		url = xstrdup(target_url);
		c->origin = xstrdup("playbook");
	} else if (npm_registry(&l, package, &url, &c->origin, err) < 0) {
		goto out;
	}
	if (!url) {
		err_set(err, ERR_NOTFOUND, "no npm registry configured for %s: "
			"set registry=URL%s in an .npmrc (the project's, "
			"~/.npmrc or npm's global npmrc), or npm_config_registry,"
			" or the playbook's targets.registry[].url", package,
			package[0] == '@' ? " (or @scope:registry=URL)" : "");
		goto out;
	}
	if (set_url(c, url, err) < 0 ||
	    npm_auth(&l, c->base_url, !target_url, c, err) < 0)
		goto out;
	rc = 0;
out:
	free(url);
	layers_done(&l);
	return rc;
}

/* --- pip ---------------------------------------------------------------- */

static void
pip_layers(struct layers *l, const struct regconf_opts *o)
{
	const char *env = getenv("PIP_CONFIG_FILE");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *venv = getenv("VIRTUAL_ENV");
	const char *etc = o && o->etc_dir ? o->etc_dir : "/etc";
	char *p;

	/* pip reads these in the reverse order, later ones overriding */
	if (env && !strcmp(env, "/dev/null"))
		return;
	layers_add(l, env, "PIP_CONFIG_FILE", 1);
	if (venv) {
		p = xasprintf("%s/pip.conf", venv);
		layers_add(l, p, "virtualenv pip.conf", 1);
		free(p);
	}
	p = xdg && *xdg ? xasprintf("%s/pip/pip.conf", xdg)
			: home_path(".config/pip/pip.conf");
	layers_add(l, p, "user pip.conf", 1);
	free(p);
	p = home_path(".pip/pip.conf");
	layers_add(l, p, "user pip.conf", 1);
	free(p);
	p = xasprintf("%s/pip.conf", etc);
	layers_add(l, p, "system pip.conf", 1);
	free(p);
	p = xasprintf("%s/xdg/pip/pip.conf", etc);
	layers_add(l, p, "system pip.conf", 1);
	free(p);
}

static const char *
pip_index_url(const struct layers *l, const char **from)
{
	static const char *const keys[] = {
		"install.index-url", "install.index_url",
		"global.index-url", "global.index_url", NULL
	};

	for (size_t i = 0; i < l->n; i++)
		for (int k = 0; keys[k]; k++) {
			const char *v = ini_get(&l->files[i], keys[k]);

			if (v && *v) {
				*from = l->files[i].label;
				return v;
			}
		}
	return NULL;
}

int
regconf_locate_pypi(const char *package, const char *target_url,
		    const struct regconf_opts *o, struct regconf *c,
		    struct err *err)
{
	struct layers l = { .n = 0 };
	const char *url = target_url, *from = "playbook";
	const char *env = getenv("PIP_INDEX_URL");
	int rc = -1;

	if (!url && env && *env) {
		url = env;
		from = "PIP_INDEX_URL";
	}
	if (!url) {
		pip_layers(&l, o);
		url = pip_index_url(&l, &from);
	}
	if (!url) {
		err_set(err, ERR_NOTFOUND, "no PyPI index configured for %s: "
			"set index-url in pip.conf ([global] section), or "
			"PIP_INDEX_URL, or the playbook's "
			"targets.registry[].url", package);
		goto out;
	}
	c->origin = xstrdup(from);
	if (set_url(c, url, err) < 0)
		goto out;
	rc = 0;
out:
	layers_done(&l);
	return rc;
}

/* --- public ---------------------------------------------------------------- */

void
regconf_done(struct regconf *c)
{
	if (!c)
		return;
	free(c->base_url);
	free(c->shown);
	free(c->origin);
	if (c->token)
		memset(c->token, 0, strlen(c->token));
	free(c->token);
	if (c->basic_auth)
		memset(c->basic_auth, 0, strlen(c->basic_auth));
	free(c->basic_auth);
	memset(c, 0, sizeof(*c));
}

static void
add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch) || strchr("-_.!~*'()@", ch))
			strbuf_addc(sb, (char)ch);
		else
			strbuf_addf(sb, "%%%02x", ch);
	}
}

static char *
with_slash(const char *base)
{
	size_t n = strlen(base);

	return n && base[n - 1] == '/' ? xstrdup(base) : xasprintf("%s/", base);
}

char *
regconf_npm_url(const char *base, const char *package)
{
	struct strbuf sb = STRBUF_INIT;
	char *b = with_slash(base);

	strbuf_adds(&sb, b);
	add_escaped(&sb, package);
	free(b);
	return strbuf_detach(&sb);
}

/* The index root: BASE without a trailing "simple/" segment. */
static char *
index_root(const char *base, int *had_simple)
{
	char *b = with_slash(base);
	size_t n = strlen(b);

	*had_simple = n >= 8 && !strcmp(b + n - 8, "/simple/");
	if (*had_simple)
		b[n - 7] = '\0';
	return b;
}

static char *
normalized_name(const char *package)
{
	char *out = xmalloc(strlen(package) + 1);
	size_t o = 0;

	for (const char *p = package; *p; p++) {
		if (*p == '-' || *p == '_' || *p == '.') {
			if (o == 0 || out[o - 1] != '-')
				out[o++] = '-';
		} else {
			out[o++] = (char)tolower((unsigned char)*p);
		}
	}
	out[o] = '\0';
	return out;
}

char *
regconf_pypi_json_url(const char *base, const char *package)
{
	struct strbuf sb = STRBUF_INIT;
	int had_simple;
	char *root = index_root(base, &had_simple);

	strbuf_adds(&sb, root);
	strbuf_adds(&sb, "pypi/");
	add_escaped(&sb, package);
	strbuf_adds(&sb, "/json");
	free(root);
	return strbuf_detach(&sb);
}

char *
regconf_pypi_simple_url(const char *base, const char *package)
{
	struct strbuf sb = STRBUF_INIT;
	int had_simple;
	char *root = index_root(base, &had_simple);
	char *name = normalized_name(package);

	strbuf_adds(&sb, root);
	strbuf_adds(&sb, "simple/");
	add_escaped(&sb, name);
	strbuf_addc(&sb, '/');
	free(root);
	free(name);
	return strbuf_detach(&sb);
}

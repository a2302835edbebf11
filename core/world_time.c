/* The drill's world in time: dates written relative to the drill's start
 * ("-5h" in a tag's date or a registry version's time) become the moments
 * they stand for, so the panes, the commands and the report date the
 * story as the briefing tells it, whenever the drill runs. */
#include "config.h"
#include "world.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"

/* J, a string "-DURATION" or "+DURATION", as RFC 3339 from START_WALL;
 * anything else is left as it is. */
static void
resolve(cJSON *j, int64_t start_wall)
{
	char buf[40], *frac;
	int64_t us;
	const char *t = cJSON_GetStringValue(j);

	if (!t || (t[0] != '-' && t[0] != '+') ||
	    clock_parse_duration(t + 1, &us) < 0)
		return;
	clock_format_rfc3339(start_wall + (t[0] == '-' ? -us : us), buf,
			     sizeof(buf));
	frac = strchr(buf, '.');	/* whole seconds, as registries date */
	if (frac)
		snprintf(frac, sizeof(buf) - (size_t)(frac - buf), "Z");
	cJSON_SetValuestring(j, buf);
}

void
world_resolve_times(cJSON *state, int64_t start_wall)
{
	cJSON *it, *pkg, *v;
	cJSON *tags = cJSON_GetObjectItemCaseSensitive(state, "tags");

	if (!start_wall)
		return;
	if (cJSON_IsObject(tags))	/* {"branch": ..., "tags": [...]} */
		tags = cJSON_GetObjectItemCaseSensitive(tags, "tags");
	cJSON_ArrayForEach(it, tags)
		resolve(cJSON_GetObjectItemCaseSensitive(it, "date"),
			start_wall);
	cJSON_ArrayForEach(pkg, cJSON_GetObjectItemCaseSensitive(state,
								 "registry"))
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(
					   pkg, "versions")) {
			if (cJSON_IsString(v) && v->string)
				resolve(v, start_wall);	/* "1.2.3": T */
			else
				resolve(cJSON_GetObjectItemCaseSensitive(
						v, "time"), start_wall);
		}
}

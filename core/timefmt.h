/* One rule for the times the console shows: every tab, the checklist,
 * the step pane, the banners and replay's typed times use the same zone,
 * UTC unless the user chose local time (rewind(1): REWIND_TIME, or "time"
 * in the config file). Journals, reports and messages keep their own
 * explicit UTC forms. */
#ifndef REWIND_CORE_TIMEFMT_H
#define REWIND_CORE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

enum timefmt_shape {
	TF_HMS,		/* 19:30:05 */
	TF_HM,		/* 19:30 */
	TF_DATE,	/* 2026-12-06 */
	TF_DATE_HM,	/* 2026-12-06 19:30 */
	TF_HM_ZONE,	/* 19:30 UTC, or in local time 01:00 XST */
	TF_HMS_ZONE,	/* 19:30:05 UTC */
};

/* Choose the zone: "utc" or "local"; returns 0, or -1 (rule unchanged)
 * for anything else. */
int timefmt_choose(const char *zone);
/* Whether times are shown in UTC. */
int timefmt_is_utc(void);
/* WALL_US (µs since the epoch) in SHAPE; "?" when it cannot be shown. */
char *timefmt_us(int64_t wall_us, enum timefmt_shape shape, char *buf,
		 size_t size);
/* The same for an RFC 3339 text such as a journal event's "wall". */
char *timefmt_rfc3339(const char *text, enum timefmt_shape shape, char *buf,
		      size_t size);
/* The chosen zone's offset from UTC at WALL_US, in µs (0 for UTC). */
int64_t timefmt_offset_us(int64_t wall_us);

#endif

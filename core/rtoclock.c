/* The recovery-time clock's start (see rtoclock.h). */
#include "config.h"

#include "rtoclock.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"

int64_t
rtoclock_parse_when(const char *text)
{
	char buf[64];
	int64_t us;
	size_t n;

	if (!text)
		return 0;
	snprintf(buf, sizeof(buf), "%s", text);
	n = strlen(buf);
	if (n > 4 && strcmp(buf + n - 4, " UTC") == 0)
		buf[n - 4] = '\0';
	if (strlen(buf) > 10 && buf[10] == ' ')
		buf[10] = 'T';
	if (strlen(buf) == 16)
		strcat(buf, ":00");
	return clock_parse_rfc3339(buf, &us) == 0 ? us : 0;
}

int64_t
rtoclock_start(const char *detected_at, int64_t start_us, int *from_detected)
{
	int64_t detected = rtoclock_parse_when(detected_at);

	if (from_detected)
		*from_detected = detected != 0;
	return detected ? detected : start_us;
}

int64_t
rtoclock_end(const char *rolled_back_at, int64_t verify_end_us,
	     int64_t end_us, const char **which)
{
	int64_t rolled = rtoclock_parse_when(rolled_back_at);
	const char *w = "the end of the session";
	int64_t end = end_us;

	if (rolled) {
		w = "the recovery time recorded (ROLLED_BACK_AT)";
		end = rolled;
	} else if (verify_end_us) {
		w = "the end of the verify phase";
		end = verify_end_us;
	}
	if (which)
		*which = w;
	return end;
}

/* sanitize: being written. */
#include "config.h"

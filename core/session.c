/* session: being written. */
#include "config.h"

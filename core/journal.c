/* journal: being written. */
#include "config.h"

/* runner: being written. */
#include "config.h"

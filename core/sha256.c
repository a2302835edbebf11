/* sha256: being written. */
#include "config.h"

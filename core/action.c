/* action: being written. */
#include "config.h"

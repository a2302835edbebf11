/* loop: being written. */
#include "config.h"

/* playbook: being written. */
#include "config.h"

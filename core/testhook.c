/* testhook: being written. */
#include "config.h"

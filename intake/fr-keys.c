#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include "fr-keys.h"

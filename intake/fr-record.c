#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include "fr-record.h"

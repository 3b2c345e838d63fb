/* fr-intake.h — the intake library: everything the kiosk and the tools use */
#pragma once

#include "fr-envelope.h"
#include "fr-error.h"
#include "fr-escape.h"
#include "fr-followup.h"
#include "fr-http.h"
#include "fr-keys.h"
#include "fr-ogg.h"
#include "fr-outbox.h"
#include "fr-record.h"
#include "fr-roster.h"
#include "fr-secret.h"
#include "fr-sender.h"

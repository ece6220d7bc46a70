// Exports the reciprocity rules as a Reciproca plugin (see reciprocity.h).

#include <reciproca/plugin.hpp>

#include "reciprocity.h"

RECIPROCA_PLUGIN(reciproca::reciprocity::Reciprocity, "reciprocity", "1.0.0",
                 RECIPROCA_CAP_REMINDERS | RECIPROCA_CAP_RELATIONSHIPS | RECIPROCA_CAP_TICKS)

// Exports the reciprocity rules as a Reciproca plugin (see reciprocity.h).

#include <reciproca/plugin.hpp>

#include "reciprocity.h"

// RECIPROCA_CAP_CONTACTS: its reminders name the outside contact ("call Giulia Verdi back").
RECIPROCA_PLUGIN(reciproca::reciprocity::Reciprocity, "reciprocity", "1.0.0",
                 RECIPROCA_CAP_REMINDERS | RECIPROCA_CAP_RELATIONSHIPS | RECIPROCA_CAP_TICKS |
                     RECIPROCA_CAP_CONTACTS)

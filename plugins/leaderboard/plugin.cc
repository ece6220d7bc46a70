// Exports the leaderboard as a Reciproca plugin (see leaderboard.h).

#include <reciproca/plugin.hpp>

#include "leaderboard.h"

RECIPROCA_PLUGIN(reciproca::leaderboard::Leaderboard, "leaderboard", "1.0.0",
                 RECIPROCA_CAP_LEADERBOARD)

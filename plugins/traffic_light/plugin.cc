// The traffic_light.so entry point.

#include "traffic_light.h"

RECIPROCA_PLUGIN(reciproca::traffic_light::TrafficLight, reciproca::traffic_light::kPluginName,
                 reciproca::traffic_light::kPluginVersion, reciproca::traffic_light::kCapabilities)

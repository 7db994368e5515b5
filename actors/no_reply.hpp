// What the handlers of the training's messages return instead of void.
#pragma once

#include <caf/delegated.hpp>

namespace psim::actors {

/// A handler's result that says no reply comes from it. CAF 0.17 answers a void result by
/// building a response promise (a copy of the sender's handle, an atomic count on its
/// control block) only to find that an asynchronous message wants no reply; this result
/// tells it at once (about 880 instructions per async update). The handlers get no
/// requests: a request to one goes unanswered.
using no_reply = caf::delegated<void>;

} // namespace psim::actors

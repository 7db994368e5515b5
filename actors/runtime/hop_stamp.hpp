// Under the real clock a message carries the model time its next receiver is meant to
// handle it at. A payload that others share (a server's θ, a worker's kept gradient) is
// not copied to carry a new time: the time travels beside it, as a hop_stamp.
#pragma once

#include "actors/messages.hpp"

#include <caf/message.hpp>

#include <cstdint>

namespace psim::actors {

/// Stamps `msg` (a Message, perhaps followed by a hop_stamp) with `at` for its next
/// receiver: in the Message itself when nobody else holds it, else in a hop_stamp after
/// it (a new one, or the one already there, copied if shared: never the payload).
template <class Message>
void stamp_hop(caf::message& msg, std::int64_t at) {
  if (msg.size() == 2 && msg.match_element<hop_stamp>(1))
    msg.get_mutable_as<hop_stamp>(1).at = at;
  else if (msg.cvals()->unique())
    msg.get_mutable_as<Message>(0).at = at;
  else
    msg = msg + caf::make_message(hop_stamp{at});
}

} // namespace psim::actors

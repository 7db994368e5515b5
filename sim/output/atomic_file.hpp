// Writing a whole file so that a reader sees either the old or the new content, never
// half of it: a temporary file beside it, then a rename.
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace psim::sim {

/// Writes `text` to `path` atomically (temporary file, then rename); throws on failure.
void write_file_atomically(const std::string& path, const std::string& text);

/// Writes to `path` atomically what `write` puts into the stream it is given (a file
/// too large to build as one string first); throws on failure.
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write);

} // namespace psim::sim

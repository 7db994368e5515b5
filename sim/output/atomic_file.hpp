// Writing a whole file so that a reader sees either the old or the new content, never
// half of it: a temporary file beside it, then a rename.
#pragma once

#include <string>

namespace psim::sim {

/// Writes `text` to `path` atomically (temporary file, then rename); throws on failure.
void write_file_atomically(const std::string& path, const std::string& text);

} // namespace psim::sim

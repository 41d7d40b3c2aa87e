// Recursive-descent parsing of environment markers, shared by Marker::parse and Requirement::parse
// (internal to pep508).
#pragma once

#include <memory>

#include "pep508/marker_node.hpp"
#include "pep508/tokenizer.hpp"

namespace thoth::pep508_parse {

// marker = marker_atom (BOOLOP marker_atom)*  — parses at the tokenizer's position and stops at the
// first token that is not `and`/`or` (the caller checks what follows: the end, or a requirement's).
Marker::Node parse_marker(Tokenizer& t);

// Applies packaging's _normalize_extra_values to the first comparison and fixes the evaluation
// plan of every comparison.
std::shared_ptr<const Marker::Node> finish_marker(Marker::Node root);

}  // namespace thoth::pep508_parse

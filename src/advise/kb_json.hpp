// The JSON writer the advise module's documents share (KB files, the justification report).
#pragma once

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "thoth/knowledge_base.hpp"

namespace thoth::advisor {

using JsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// The members of a fact as the KB format names them, in its order, optional ones only when set (the
// caller opens and closes the object).
void write_fact_fields(JsonWriter& w, const Fact& fact);

}  // namespace thoth::advisor

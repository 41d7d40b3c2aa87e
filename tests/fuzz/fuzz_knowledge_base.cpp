// Knowledge bases (`--kb FILE`) and OSV advisories (`thoth kb import-osv`) from any text: both are
// files a user is handed.
#include "fuzz_target.hpp"
#include "thoth/knowledge_base.hpp"

THOTH_FUZZ_TARGET(knowledge_base) {
  thoth::fuzz::expect_error_or_value([&] { (void)thoth::parse_knowledge_base(data, "kb.json"); });
  thoth::fuzz::expect_error_or_value([&] {
    thoth::OsvImport out;
    thoth::import_osv_record(data, "PYSEC-0000-0.json", out);
  });
}

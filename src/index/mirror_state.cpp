// What a mirror run saw of each file (simple/.thoth-mirror.json), so that the next run reads only
// the files whose size or modification time changed. Anything unexpected in it makes the next run
// read every file again: the state is a shortcut, never a source of truth.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "index/mirror.hpp"
#include "thoth/json_text.hpp"

namespace thoth::idx {
namespace {

// Raised when the state file's layout changes: an older state is then ignored.
constexpr int kLayout = 1;
constexpr const char* kLayoutKey = "thoth-mirror-state";

using Value = rapidjson::Value;

const Value* member(const Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

bool get(const Value& object, const char* name, std::string& out) {
  const Value* v = member(object, name);
  if (v == nullptr || !v->IsString()) return false;
  out.assign(v->GetString(), v->GetStringLength());
  return true;
}

std::optional<MirrorFile> file_of(const Value& v) {
  if (!v.IsObject()) return std::nullopt;
  MirrorFile f;
  std::string version;
  const Value* wheel = member(v, "wheel");
  const Value* size = member(v, "size");
  const Value* mtime = member(v, "mtime_ns");
  const Value* metadata_size = member(v, "metadata_size");
  if (!get(v, "filename", f.filename) || !get(v, "project", f.project) || !get(v, "version", version) ||
      !get(v, "sha256", f.sha256) || !get(v, "requires_python", f.requires_python) ||
      !get(v, "metadata_sha256", f.metadata_sha256) || wheel == nullptr || !wheel->IsBool() ||
      size == nullptr || !size->IsUint64() || mtime == nullptr || !mtime->IsInt64() ||
      metadata_size == nullptr || !metadata_size->IsUint64()) {
    return std::nullopt;
  }
  std::optional<Version> parsed = Version::try_parse(version);
  if (!parsed) return std::nullopt;
  f.version = std::move(*parsed);
  f.wheel = wheel->GetBool();
  f.size = size->GetUint64();
  f.mtime_ns = mtime->GetInt64();
  f.metadata_size = metadata_size->GetUint64();
  return f;
}

}  // namespace

std::map<std::string, MirrorFile> parse_state(std::string_view text) {
  JsonDocument parsed;
  if (!parse_json(text, parsed).empty() || !parsed.doc.IsObject()) return {};
  const rapidjson::Document& doc = parsed.doc;
  const Value* layout = member(doc, kLayoutKey);
  const Value* files = member(doc, "files");
  if (layout == nullptr || !layout->IsInt() || layout->GetInt() != kLayout || files == nullptr || !files->IsArray()) {
    return {};
  }
  std::map<std::string, MirrorFile> out;
  for (const Value& v : files->GetArray()) {
    std::optional<MirrorFile> f = file_of(v);
    if (!f) return {};
    std::string name = f->filename;
    out.emplace(std::move(name), std::move(*f));
  }
  return out;
}

std::string state_text(const std::vector<MirrorFile>& files) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto put_string = [&w](const char* k, const std::string& v) {
    w.Key(k);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  w.Key(kLayoutKey);
  w.Int(kLayout);
  w.Key("files");
  w.StartArray();
  for (const MirrorFile& f : files) {
    w.StartObject();
    put_string("filename", f.filename);
    put_string("project", f.project);
    put_string("version", f.version.str());
    w.Key("wheel");
    w.Bool(f.wheel);
    w.Key("size");
    w.Uint64(f.size);
    w.Key("mtime_ns");
    w.Int64(f.mtime_ns);
    put_string("sha256", f.sha256);
    put_string("requires_python", f.requires_python);
    put_string("metadata_sha256", f.metadata_sha256);
    w.Key("metadata_size");
    w.Uint64(f.metadata_size);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace thoth::idx

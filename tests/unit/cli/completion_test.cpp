// The shell completion scripts generated from a CLI11 definition (cli/completion.hpp): what each
// command's word lists hold, on a small made-up command line, and on the program's own.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/completion.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"

namespace thoth::cli {
namespace {

// The body of one command's case in _thoth_spec: from its pattern line to the next ";;".
std::string spec_of(const std::string& script, const std::string& path) {
  const std::string head = "    '" + path + "')\n";
  const auto start = script.find(head);
  if (start == std::string::npos) return {};
  const auto end = script.find(";;", start);
  return script.substr(start + head.size(), end - start - head.size());
}

class Completion : public ::testing::Test {
 protected:
  Completion() : root_("test program", "thoth") {
    root_.fallthrough();
    root_.set_help_flag("-h,--help", "Show help");
    root_.add_flag("-v,--verbose", flag_, "Say more");
    CLI::App* lock = root_.add_subcommand("lock", "Write a lock");
    lock->add_option("REQ", reqs_, "Requirements")->type_name("REQ");
    lock->add_option("-r,--requirement", text_, "Requirements file")->type_name("FILE");
    lock->add_option("--cache-dir", text_, "Cache")->type_name("DIR");
    lock->add_option("--python-version", text_, "Version")->type_name("X.Y");
    lock->add_flag("--index-strategy-first", flag_, "A flag");
    lock->add_option("--secret", text_, "Hidden")->group("");
    CLI::App* kb = root_.add_subcommand("kb", "Knowledge bases: it's all facts");
    CLI::App* check = kb->add_subcommand("check", "Validate");
    check->add_option("path", reqs_, "A file")->type_name("PATH");
  }

  CLI::App root_;
  bool flag_ = false;
  std::string text_;
  std::vector<std::string> reqs_;
};

TEST_F(Completion, BashListsSubcommandsOfEachCommand) {
  const std::string s = completion_script(root_, "bash");
  EXPECT_NE(spec_of(s, "thoth").find("_thoth_cmds='lock kb'\n"), std::string::npos) << s;
  EXPECT_NE(spec_of(s, "thoth kb").find("_thoth_cmds='check'\n"), std::string::npos) << s;
  EXPECT_NE(spec_of(s, "thoth lock").find("_thoth_cmds=''\n"), std::string::npos) << s;
  EXPECT_NE(s.find("complete -F _thoth thoth thoth-install\n"), std::string::npos);
}

TEST_F(Completion, BashSeparatesFlagsFromOptionsTakingValues) {
  const std::string lock = spec_of(completion_script(root_, "bash"), "thoth lock");
  // Global flags follow the command (fallthrough); hidden options are left out.
  EXPECT_NE(lock.find("_thoth_opts='-h --help -r --requirement --cache-dir --python-version "
                      "--index-strategy-first -v --verbose'\n"),
            std::string::npos)
      << lock;
  EXPECT_NE(lock.find("_thoth_valued='-r --requirement --cache-dir --python-version'\n"), std::string::npos)
      << lock;
  EXPECT_NE(lock.find("_thoth_files='-r --requirement'\n"), std::string::npos) << lock;
  EXPECT_NE(lock.find("_thoth_dirs='--cache-dir'\n"), std::string::npos) << lock;
  EXPECT_NE(lock.find("_thoth_args='value'\n"), std::string::npos) << lock;  // REQ: nothing to guess
  EXPECT_EQ(lock.find("--secret"), std::string::npos) << lock;
}

TEST_F(Completion, PositionalPathsCompleteFiles) {
  const std::string check = spec_of(completion_script(root_, "bash"), "thoth kb check");
  EXPECT_NE(check.find("_thoth_args='file'\n"), std::string::npos) << check;
}

TEST_F(Completion, NewOptionAppearsWithoutEditingAList) {
  std::string out;
  root_.get_subcommand("lock")->add_option("--constraint-file", out, "Constraints")->type_name("FILE");
  const std::string lock = spec_of(completion_script(root_, "bash"), "thoth lock");
  EXPECT_NE(lock.find("_thoth_files='-r --requirement --constraint-file'\n"), std::string::npos) << lock;
}

TEST_F(Completion, ZshDescribesCommandsAndOptionsQuoted) {
  const std::string s = completion_script(root_, "zsh");
  EXPECT_EQ(s.rfind("#compdef thoth thoth-install\n", 0), 0u) << s;
  // A quote in a description is closed, escaped and reopened.
  EXPECT_NE(spec_of(s, "thoth").find("'kb:Knowledge bases: it'\\''s all facts'"), std::string::npos) << s;
  EXPECT_NE(spec_of(s, "thoth lock").find("'--requirement:Requirements file'"), std::string::npos) << s;
  EXPECT_NE(spec_of(s, "thoth lock").find("_thoth_files='-r --requirement'\n"), std::string::npos) << s;
}

TEST_F(Completion, OtherShellIsAUsageError) {
  try {
    completion_script(root_, "fish");
    FAIL() << "no error";
  } catch (const CliError& e) {
    EXPECT_EQ(e.exit_code(), ExitCode::Usage);
    EXPECT_NE(std::string(e.what()).find("'fish'"), std::string::npos) << e.what();
  }
}

// The program's own definition: every command, nested ones included, and their file options.
TEST(CompletionCommand, CoversTheProgramsCommands) {
  std::istringstream in;
  std::ostringstream out, err;
  Context ctx{in, out, err, std::map<std::string, std::string>{}};
  ASSERT_EQ(cli::run({"thoth", "completion", "bash"}, ctx), 0) << err.str();
  const std::string s = out.str();
  for (const char* path : {"thoth", "thoth lock", "thoth install", "thoth kb import-osv", "thoth debug candidates",
                           "thoth cache clean", "thoth completion", "thoth help"}) {
    EXPECT_NE(s.find(std::string("    '") + path + "')\n"), std::string::npos) << path;
  }
  EXPECT_NE(spec_of(s, "thoth lock").find("--requirement"), std::string::npos);
  EXPECT_NE(spec_of(s, "thoth lock").find("--verbose"), std::string::npos);
}

}  // namespace
}  // namespace thoth::cli

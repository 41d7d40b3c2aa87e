#include "cli/exit_codes.hpp"

#include <exception>
#include <new>
#include <ostream>
#include <string_view>

#include "thoth/target.hpp"
#include "thoth/archive.hpp"
#include "thoth/build.hpp"
#include "thoth/knowledge_base.hpp"
#include "thoth/index.hpp"
#include "thoth/inputs.hpp"
#include "thoth/install.hpp"
#include "thoth/lock.hpp"
#include "thoth/metadata.hpp"
#include "thoth/net.hpp"
#include "thoth/pep440.hpp"
#include "thoth/pep508.hpp"
#include "thoth/resolve.hpp"
#include "thoth/session.hpp"
#include "thoth/tags.hpp"

namespace thoth::cli {

std::string one_line(std::string message) {
  for (char& c : message) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!message.empty() && message.back() == ' ') message.pop_back();
  return message;
}

namespace {

int print_error(std::ostream& err, const std::exception& e, ExitCode exit_code) {
  err << "thoth: error: " << one_line(e.what()) << '\n';
  return code(exit_code);
}

}  // namespace

int report_current_exception(std::ostream& err) {
  // Each module throws one error type; its place in the pipeline decides the exit code. A module added
  // later adds its line here.
  try {
    throw;
  } catch (const CliError& e) {
    return print_error(err, e, e.exit_code());
  } catch (const ResolutionError& e) {
    // The one error with a body: the derivation a person can act on, after the summary line.
    print_error(err, e, ExitCode::NoSolution);
    if (!e.explanation().empty()) {
      err << e.explanation();
      if (e.explanation().back() != '\n') err << '\n';
    }
    return code(ExitCode::NoSolution);
  } catch (const InputError& e) {
    // A bad line of a requirements file is shown with the line and a caret under the column: the
    // message's own line breaks are kept (inputs.hpp).
    err << "thoth: error: " << e.what();
    if (std::string_view(e.what()).empty() || std::string_view(e.what()).back() != '\n') err << '\n';
    return code(ExitCode::Usage);
  } catch (const SessionError& e) {
    return print_error(err, e, ExitCode::Usage);
  } catch (const LockError& e) {
    // A lock file that cannot be read, or a lock that cannot be written for what the index gives.
    return print_error(err, e, ExitCode::Usage);
  } catch (const AdviseError& e) {
    // A knowledge base or OSV input that cannot be read: the user's input.
    return print_error(err, e, ExitCode::Usage);
  } catch (const BuildError& e) {
    // A failed PEP 517 build: the summary line, then what the backend printed (as pip shows it).
    print_error(err, e, ExitCode::Install);
    if (!e.output().empty()) {
      err << "thoth: the build's output:\n" << e.output();
      if (e.output().back() != '\n') err << '\n';
    }
    return code(ExitCode::Install);
  } catch (const InstallError& e) {
    return print_error(err, e, ExitCode::Install);
  } catch (const IndexError& e) {
    return print_error(err, e, ExitCode::Index);
  } catch (const NetError& e) {
    return print_error(err, e, ExitCode::Index);
  } catch (const ArchiveError& e) {
    // A corrupt or hostile archive given as input (the installer reports its own failures).
    return print_error(err, e, ExitCode::Usage);
  } catch (const VersionError& e) {
    return print_error(err, e, ExitCode::Usage);
  } catch (const RequirementError& e) {
    return print_error(err, e, ExitCode::Usage);
  } catch (const MetadataError& e) {
    return print_error(err, e, ExitCode::Usage);
  } catch (const TagError& e) {
    return print_error(err, e, ExitCode::Usage);
  } catch (const Error& e) {
    // A module error not listed above still carries a message for the user, not a bug report.
    return print_error(err, e, ExitCode::Usage);
  } catch (const std::bad_alloc&) {
    err << "thoth: internal error: out of memory\n";
  } catch (const std::exception& e) {
    err << "thoth: internal error: " << one_line(e.what()) << '\n';
  } catch (...) {
    err << "thoth: internal error: unknown exception\n";
  }
  return code(ExitCode::Internal);
}

}  // namespace thoth::cli

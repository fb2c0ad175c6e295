// The xbarcut command: one parser, one subcommand per job, every error reported as one line (exit 2).
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/option_names.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "train/stop_request.hpp"

int main(int argc, char** argv) {
  CLI::App app{"xbarcut: train and compress neural networks so they map onto few, well-filled memristor "
               "crossbars with little routing, and report what the hardware costs."};
  app.require_subcommand(1);
  app.footer("Run 'xbarcut COMMAND --help' for a command's options. Quick start: bash scripts/quickstart.sh");
  xbarcut::cli::register_all(app);
  xbarcut::cli::set_command_line({argv + 1, argv + argc});
  // A run that fails leaves no empty output folder behind (claimed folders holding results stay).
  struct ReleaseOnError {
    bool ok = false;
    ~ReleaseOnError() {
      if (!ok) xbarcut::release_unused_output_folders();
    }
  } release;
  try {
    app.parse(argc, argv);
    release.ok = true;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "xbarcut: error: {} (see xbarcut {}--help)\n", e.what(),
               app.get_subcommands().empty() ? "" : app.get_subcommands().front()->get_name() + " ");
    return 2;
  } catch (const xbarcut::train::Interrupted& e) {
    fmt::print(stderr, "xbarcut: {}\n", e.what());
    return 130;
  } catch (const xbarcut::Error& e) {
    // The library names options by field (`lasso.zero_threshold`); the user typed flags.
    fmt::print(stderr, "xbarcut: error: {}\n", xbarcut::cli::with_flag_names(e.what()));
    return 2;
  } catch (const c10::Error& e) {
    fmt::print(stderr, "xbarcut: internal error in LibTorch: {}\n", e.what_without_backtrace());
    return 3;
  } catch (const std::exception& e) {
    fmt::print(stderr, "xbarcut: error: {}\n", e.what());
    return 2;
  }
  return 0;
}

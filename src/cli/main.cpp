// The xbarcut command: one parser, one subcommand per job, every error reported as one line (exit 2).
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/run_support.hpp"
#include "common/error.hpp"
#include "train/stop_request.hpp"

int main(int argc, char** argv) {
  CLI::App app{"xbarcut: train and compress neural networks so they map onto few, well-filled memristor "
               "crossbars with little routing, and report what the hardware costs."};
  app.require_subcommand(1);
  app.footer("Run 'xbarcut COMMAND --help' for a command's options. Quick start: bash scripts/quickstart.sh");
  xbarcut::cli::register_train(app);
  xbarcut::cli::register_eval(app);
  xbarcut::cli::register_map(app);
  xbarcut::cli::register_export(app);
  xbarcut::cli::register_clip(app);
  xbarcut::cli::register_lowrank(app);
  xbarcut::cli::register_delete(app);
  xbarcut::cli::register_scissor(app);
  xbarcut::cli::register_prune(app);
  xbarcut::cli::register_trannsform(app);
  xbarcut::cli::register_xbprune(app);
  xbarcut::cli::set_command_line(argc, argv);
  try {
    app.parse(argc, argv);
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
    fmt::print(stderr, "xbarcut: error: {}\n", e.what());
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

// Ctrl-C (SIGINT) or SIGTERM asks a running training loop to stop at the end of its iteration: it writes its
// checkpoint and the command exits with code 130, so an interrupted run loses nothing and --resume continues it.
// Only while a StopSignalScope lives (the trainer's loop, scissor waiting for a step); elsewhere the signals
// keep their default action, so Ctrl-C ends a command with nothing to save at once. A second signal kills.
#pragma once
#include <string>

#include "common/error.hpp"

namespace xbarcut::train {

// While alive, SIGINT and SIGTERM request a stop instead of killing; the previous handlers come back after.
class StopSignalScope {
 public:
  StopSignalScope();
  ~StopSignalScope();
  StopSignalScope(const StopSignalScope&) = delete;
  StopSignalScope& operator=(const StopSignalScope&) = delete;

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

bool stop_requested();
void request_stop();  // what the handlers do; tests call it directly
void clear_stop_request();

// Thrown by the trainer once it has stopped on request; main prints it as one line and exits with 130.
class Interrupted : public Error {
 public:
  explicit Interrupted(const std::string& message) : Error(message) {}
};

}  // namespace xbarcut::train

// Ctrl-C (SIGINT) or SIGTERM asks a running training loop to stop at the end of its iteration: it writes its
// checkpoint and the command exits with code 130, so an interrupted run loses nothing and --resume continues it.
// A second signal kills at once (the handler gives the default action back after the first).
#pragma once
#include <string>

#include "common/error.hpp"

namespace xbarcut::train {

void install_stop_handlers();
bool stop_requested();
void request_stop();  // what the handlers do; tests call it directly
void clear_stop_request();

// Thrown by the trainer once it has stopped on request; main prints it as one line and exits with 130.
class Interrupted : public Error {
 public:
  explicit Interrupted(const std::string& message) : Error(message) {}
};

}  // namespace xbarcut::train

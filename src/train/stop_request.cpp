// A lock-free flag: the only thing a signal handler may safely touch.
#include "train/stop_request.hpp"

#include <atomic>
#include <csignal>

namespace xbarcut::train {

namespace {

std::atomic<bool> stop_flag{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int signal) {
  stop_flag.store(true);
  std::signal(signal, SIG_DFL);
}

}  // namespace

StopSignalScope::StopSignalScope()
    : previous_int_(std::signal(SIGINT, on_stop_signal)), previous_term_(std::signal(SIGTERM, on_stop_signal)) {}

StopSignalScope::~StopSignalScope() {
  std::signal(SIGINT, previous_int_);
  std::signal(SIGTERM, previous_term_);
}

bool stop_requested() { return stop_flag.load(); }
void request_stop() { stop_flag.store(true); }
void clear_stop_request() { stop_flag.store(false); }

}  // namespace xbarcut::train

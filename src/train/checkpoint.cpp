// Checkpoint format: a LibTorch archive with keys under "xbarcut/" and nested "model" / "solver" archives.
#include "train/checkpoint.hpp"

#include <cstdio>
#include <filesystem>

#include "common/atomic_write.hpp"
#include "common/error.hpp"

namespace xbarcut::train {

namespace {
const char* kFormat = "xbarcut-checkpoint-1";

torch::serialize::InputArchive open_archive(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw Error("checkpoint " + path + " does not exist (train one with: xbarcut train --out DIR)");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const c10::Error&) {
    throw Error("cannot read checkpoint " + path + ": the file is corrupt or not an xbarcut checkpoint");
  }
  c10::IValue format;
  if (!archive.try_read("xbarcut_format", format) || !format.isString() || format.toStringRef() != kFormat)
    throw Error("checkpoint " + path + " is not an xbarcut checkpoint (no '" + kFormat + "' marker)");
  return archive;
}
}  // namespace

void save_checkpoint(const std::string& path, const Checkpoint& ckpt, const SgdSolver* solver) {
  torch::serialize::OutputArchive archive;
  archive.write("xbarcut_format", c10::IValue(std::string(kFormat)));
  archive.write("xbarcut_spec", c10::IValue(nn::to_json(ckpt.net->spec()).dump()));
  archive.write("xbarcut_info", c10::IValue(ckpt.info.dump()));
  archive.write("xbarcut_iter", c10::IValue(ckpt.iter));
  archive.write("xbarcut_input_scale", c10::IValue(ckpt.input.scale));
  if (ckpt.input.mean.defined()) archive.write("xbarcut_input_mean", ckpt.input.mean, true);
  if (ckpt.input.channel_scale.defined()) archive.write("xbarcut_input_channel_scale", ckpt.input.channel_scale, true);
  torch::serialize::OutputArchive model;
  ckpt.net->save(model);
  archive.write("model", model);
  if (solver) {
    torch::serialize::OutputArchive state;
    solver->save(state);
    archive.write("solver", state);
  }
  write_atomically(path, "checkpoint", [&](const std::string& tmp) { archive.save_to(tmp); });
}

Checkpoint load_checkpoint(const std::string& path) {
  auto archive = open_archive(path);
  Checkpoint ckpt;
  try {
    c10::IValue v;
    archive.read("xbarcut_spec", v);
    ckpt.net = nn::Net(nn::net_spec_from_json(nlohmann::json::parse(v.toStringRef())));
    archive.read("xbarcut_info", v);
    ckpt.info = nlohmann::json::parse(v.toStringRef());
    archive.read("xbarcut_iter", v);
    ckpt.iter = v.toInt();
    archive.read("xbarcut_input_scale", v);
    ckpt.input.scale = v.toDouble();
    torch::Tensor mean;
    if (archive.try_read("xbarcut_input_mean", mean, true)) ckpt.input.mean = mean;
    torch::Tensor channel_scale;
    if (archive.try_read("xbarcut_input_channel_scale", channel_scale, true)) ckpt.input.channel_scale = channel_scale;
    torch::serialize::InputArchive model;
    archive.read("model", model);
    ckpt.net->load(model);
  } catch (const c10::Error& e) {
    throw Error("checkpoint " + path + " is damaged or from an incompatible version: " +
                std::string(e.what_without_backtrace()).substr(0, 200));
  } catch (const nlohmann::json::exception& e) {
    throw Error("checkpoint " + path + " holds malformed metadata: " + e.what());
  }
  return ckpt;
}

void load_solver_state(const std::string& path, SgdSolver& solver) {
  auto archive = open_archive(path);
  torch::serialize::InputArchive state;
  if (!archive.try_read("solver", state))
    throw Error(path + " holds no solver state, so the run cannot resume from it; delete it to start over");
  solver.load(state);
}

}  // namespace xbarcut::train

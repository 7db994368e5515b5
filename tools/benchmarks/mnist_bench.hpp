// The MNIST softmax benchmark: the scenario's wall time against a bare loop.
#pragma once

namespace psim::bench {

/// Runs scenarios/mnist-softmax.toml (sync) and a bare loop doing the same arithmetic,
/// best of 5 (1 when `quick`), and prints both wall times and their ratio.
void run_mnist_bench(bool quick);

} // namespace psim::bench

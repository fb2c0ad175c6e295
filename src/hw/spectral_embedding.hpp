// Spectral embedding of a bipartite graph (inputs on one side, outputs on the other) through the
// random-walk Laplacian L = I - D^-1 A, computed from the SVD of the normalised biadjacency matrix.
#pragma once
#include <cstdint>

#include <Eigen/Dense>

namespace xbarcut::hw {

// `a` is the nin x nout biadjacency (1 = synapse); every row and column must have a synapse.
// Returns (nin + nout) x dims: row i < nin is input i, row nin + j is output j. Column c is the
// eigenvector of L for its c-th smallest eigenvalue, scaled to unit length.
//
// Why the SVD: with B = Dr^-1/2 A Dc^-1/2 the symmetric form D^-1/2 A D^-1/2 has eigenpairs
// (s, [u; v]) for every singular triplet (s, u, v) of B, and L's smallest eigenvalues are 1 - s for the
// largest s. So the dense eigen problem shrinks from (nin + nout)^2 to min(nin, nout)^2 and stays exact.
Eigen::MatrixXd bipartite_spectral_embedding(const Eigen::MatrixXd& a, int64_t dims);

}  // namespace xbarcut::hw

/** Regularized (aging) evolution, after Real et al. (2019), on Jenetics operators. */
package org.cellforge.controller.evolution;

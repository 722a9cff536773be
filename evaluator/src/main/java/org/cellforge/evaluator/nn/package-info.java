/** Layers with hand-written backward passes over ND4J kernels, and the weight store they share. */
package org.cellforge.evaluator.nn;

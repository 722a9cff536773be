/** The training-speed benchmark against the PyTorch reference, run in one invocation on one machine. */
package org.cellforge.evaluator.bench;

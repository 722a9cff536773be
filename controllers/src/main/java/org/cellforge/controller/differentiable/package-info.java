/** DARTS as a strategy users choose by name: its options; the engine runs it on the evaluator's supernet. */
package org.cellforge.controller.differentiable;

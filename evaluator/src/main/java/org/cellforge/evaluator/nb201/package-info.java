/** The NAS-Bench-201 macro network built as a SameDiff graph. */
package org.cellforge.evaluator.nb201;

/** The NAS-Bench-201 macro network, stand-alone or relaxed for DARTS. */
package org.cellforge.evaluator.nb201;

/** Training and scoring of candidate architectures with ND4J. */
package org.cellforge.evaluator;

/** Training and scoring of candidate architectures with ND4J and SameDiff. */
package org.cellforge.evaluator;

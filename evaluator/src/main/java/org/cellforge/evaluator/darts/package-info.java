/** The DARTS evaluation network (normal and reduction cells) built from a DARTS genotype. */
package org.cellforge.evaluator.darts;

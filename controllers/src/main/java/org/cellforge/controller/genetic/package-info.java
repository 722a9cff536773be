/**
 * The bridge between search spaces and Jenetics, shared by the genetic controllers: a codec from an
 * architecture to a genotype of bounded integer genes, and a mutation that always changes the
 * function an architecture computes. Jenetics types stay in this module.
 */
package org.cellforge.controller.genetic;

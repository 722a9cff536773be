/** The NAS-Bench-201 cell space: four nodes, six edges, one operation per edge. */
package org.cellforge.space.nb201;

/** Candidate operations for cell edges: what each computes, what it costs, and a registry users can extend. */
package org.cellforge.space.ops;

/** The DARTS space: a normal and a reduction cell, each node summing two operations on earlier nodes. */
package org.cellforge.space.darts;

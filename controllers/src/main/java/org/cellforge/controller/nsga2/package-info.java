/** NSGA-II, after Deb et al. (2002): accuracy against a cost, with hard cost limits, on Jenetics. */
package org.cellforge.controller.nsga2;

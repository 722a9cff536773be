/** Rules that stop weak trials early from the learning curves of the others. */
package org.cellforge.engine.stopping;

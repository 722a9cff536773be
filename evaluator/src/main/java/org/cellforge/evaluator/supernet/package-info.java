/** Weight sharing: a supernet holding every candidate operation's weights, trained path by path or relaxed (DARTS). */
package org.cellforge.evaluator.supernet;

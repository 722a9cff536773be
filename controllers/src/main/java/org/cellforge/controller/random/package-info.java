/** Random search, the baseline. */
package org.cellforge.controller.random;

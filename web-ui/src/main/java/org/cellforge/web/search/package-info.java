/** Running searches: requests, the loop between controller and evaluator, and what is stored. */
package org.cellforge.web.search;

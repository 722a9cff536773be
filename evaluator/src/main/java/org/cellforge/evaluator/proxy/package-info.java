/** Zero-cost proxies: scores of untrained networks that pre-filter candidates before training. */
package org.cellforge.evaluator.proxy;
